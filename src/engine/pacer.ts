import Bottleneck from 'bottleneck';
import type { RateBudget, RateLimitObservation } from '../connectors/connector.ts';
import type { Clock } from './clock.ts';
import type { EventSink } from './events.ts';

/**
 * Share of a destination's request ceiling we aim for. Calls are spaced evenly (minTime) rather than
 * released in window-sized bursts, because HubSpot-style limits are rolling windows: a burst at the end
 * of one window plus one at the start of the next would exceed them. 3% headroom absorbs jitter.
 */
export const TARGET_UTILISATION = 0.97;

/** Paces every call to one destination account, across every sync that writes there. */
export class AccountPacer {
  private readonly limiter: Bottleneck;
  private requests: number;
  private windowMs: number;
  /** When the next call may go: every call takes the slot after the last one taken, and a 429 pushes it back. */
  private nextSlotAt = 0;

  constructor(
    readonly account: string,
    budget: RateBudget,
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {
    this.requests = budget.requests;
    this.windowMs = budget.windowMs;
    this.limiter = new Bottleneck({ maxConcurrent: budget.maxConcurrent, minTime: this.minTime() });
  }

  /** Time between two calls: exact, so slots keep the target share even when it is a few ms. */
  private spacing(): number {
    return this.windowMs / (this.requests * TARGET_UTILISATION);
  }

  /** Bottleneck's spacing of batch starts (whole ms); every call's own slot comes from `takeSlot`. */
  private minTime(): number {
    return Math.ceil(this.spacing());
  }

  /** Runs `call` when the budget allows, after any pause a 429 imposed. */
  schedule<T>(call: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(async () => {
      await this.takeSlot();
      return call();
    });
  }

  /**
   * Waits for the slot of one more request inside a running batch (`CallPacing`). Not through the
   * limiter's queue: the batch already holds one of its `maxConcurrent` places, so queueing there
   * could deadlock. Slots come from the same clock as batch starts, so the two never crowd a window.
   */
  async takeSlot(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = at + this.spacing();
    if (at > now) await this.clock.sleep(at - now);
  }

  /** After a 429, nobody calls this account again until the stated delay has passed. */
  pause(ms: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock.now() + ms);
  }

  /**
   * A batch that took calls it did not pace (HubSpot's splitting of a rejected batch, a bulk job's
   * steps) spent slots of the budget after the fact: push the next call back by that many.
   */
  charge(unpacedCalls: number): void {
    if (unpacedCalls <= 0) return;
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock.now()) + unpacedCalls * this.spacing();
  }

  /** Slows down (never speeds up past the configured budget) when the destination reports a lower limit. */
  observe(observation: RateLimitObservation | undefined): void {
    if (!observation) return;
    const { max, windowMs, remaining } = observation;
    if (max !== undefined && max > 0 && windowMs !== undefined && windowMs > 0) {
      const configuredRate = this.requests / this.windowMs;
      if (max / windowMs < configuredRate * 0.999) {
        this.requests = max;
        this.windowMs = windowMs;
        this.limiter.updateSettings({ minTime: this.minTime() });
        this.events({ type: 'pace-adjusted', account: this.account, requests: max, windowMs, reason: 'the destination reported a lower limit than configured' });
      }
    }
    if (remaining === 0 && windowMs !== undefined && max !== undefined && max > 0) {
      // Out of budget for this window: wait one slot rather than earn a 429.
      this.pause(windowMs / max);
    }
  }

  async stop(): Promise<void> {
    await this.limiter.disconnect();
  }
}

export class PacerRegistry {
  private readonly pacers = new Map<string, AccountPacer>();
  constructor(
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {}

  forAccount(account: string, budget: RateBudget): AccountPacer {
    let pacer = this.pacers.get(account);
    if (!pacer) this.pacers.set(account, (pacer = new AccountPacer(account, budget, this.clock, this.events)));
    return pacer;
  }
}
