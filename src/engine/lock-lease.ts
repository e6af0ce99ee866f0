import { LockLostError, describeError } from '../core/errors.ts';
import type { SnapshotStore } from '../snapshot/store.ts';

/**
 * An apply's hold on its sync's lock, renewed on a timer for as long as the apply runs (a batch can
 * take longer than the lock's lifetime: a 429 waited out a dozen times, a bulk job polled for minutes).
 * Before each request the apply asks `assertHeld()`: once the lock may have lapsed, it is renewed
 * first, and if another process holds it now, nothing more is sent. Time is wall time, as the lock's
 * expiry in the store is.
 */
export class LockLease {
  private renewedAt = Date.now();
  private lost: string | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: Pick<SnapshotStore, 'refreshLock'>,
    private readonly sync: string,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {
    this.timer = setInterval(() => void this.renew().catch(() => undefined), Math.max(1_000, ttlMs / 3));
    this.timer.unref();
  }

  /**
   * Throws LockLostError when the lock is no longer this apply's. A renewal older than half the
   * lifetime is redone first: the timer may not have fired (a blocked event loop, a suspended machine),
   * and a request sent now must not outlive the lock.
   */
  async assertHeld(): Promise<void> {
    if (this.lost === null && Date.now() - this.renewedAt > this.ttlMs / 2) await this.renew();
    if (this.lost !== null) throw new LockLostError(this.lost);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    if (this.lost !== null) return;
    const lapsedFor = Date.now() - this.renewedAt;
    let held: boolean;
    try {
      held = await this.store.refreshLock(this.sync, this.holder, this.ttlMs);
    } catch (error) {
      // Unknown is not held: once the lock may have expired, sending could race its new holder.
      if (Date.now() - this.renewedAt < this.ttlMs / 2) return;
      this.lost = `the lock of "${this.sync}" could not be renewed (${describeError(error)}), so it may have expired; nothing more was sent`;
      return;
    }
    if (held) {
      this.renewedAt = Date.now();
      return;
    }
    this.lost = `another process took the lock of "${this.sync}" after it expired (this apply last renewed it ${seconds(lapsedFor)} s ago; it lasts ${seconds(this.ttlMs)} s); nothing more was sent, so as not to overwrite what that process delivers. Changes not sent stay pending: run \`ebb plan\` again once it is done`;
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}
