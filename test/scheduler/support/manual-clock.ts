import type { Clock } from '../../../src/engine/clock.ts';

/**
 * A Clock the test moves by hand. `sleep` resolves once `advance` passes its deadline, so a scheduler
 * loop driven by it never waits for real time.
 */
export class ManualClock implements Clock {
  private sleepers: { until: number; resolve: () => void }[] = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ until: this.current + Math.max(0, ms), resolve });
    });
  }

  set(at: number): void {
    this.current = at;
    this.wakeDue();
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }

  private wakeDue(): void {
    const due = this.sleepers.filter((s) => s.until <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.until > this.current);
    for (const s of due) s.resolve();
  }
}
