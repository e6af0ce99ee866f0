import { RateLimitedError } from '../../core/errors.ts';

/** Jobs this process has queued per Zendesk account and not yet seen finish. */
const outstanding = new Map<string, number>();

/**
 * Reserves one background-job slot for the account, so this process never has more than
 * `maxOutstandingJobs` jobs queued at once even if several sessions share the account. The engine's
 * limiter (`maxConcurrent` = `maxOutstandingJobs`) normally keeps us under it; this is the backstop.
 * Returns the release function.
 */
export function reserveJobSlot(account: string, maxOutstandingJobs: number, retryAfterMs: number): () => void {
  const current = outstanding.get(account) ?? 0;
  if (current >= maxOutstandingJobs) {
    throw new RateLimitedError(retryAfterMs, `${current} Zendesk jobs already outstanding on ${account} (maxOutstandingJobs ${maxOutstandingJobs}); wait for one to finish.`);
  }
  outstanding.set(account, current + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (outstanding.get(account) ?? 1) - 1;
    if (left <= 0) outstanding.delete(account);
    else outstanding.set(account, left);
  };
}

/** For tests and diagnostics. */
export function outstandingJobs(account: string): number {
  return outstanding.get(account) ?? 0;
}
