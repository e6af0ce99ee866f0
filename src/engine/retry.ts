import { EbbError, OUTCOME_UNKNOWN, RateLimitedError, TransientError, describeError } from '../core/errors.ts';
import type { Clock } from './clock.ts';
import type { AccountPacer } from './pacer.ts';

export interface RetryPolicy {
  /** 429s waited out before giving up on a batch. */
  maxRateLimitedRetries: number;
  /** Transient failures (5xx, network, timeouts) retried before giving up on a batch. */
  maxTransientRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRateLimitedRetries: 12, maxTransientRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Retries ran out; the batch's rows are recorded as failed with this reason and re-proposed next run. */
export class RetriesExhaustedError extends EbbError {
  constructor(readonly attempts: number, readonly lastError: unknown) {
    super('RETRIES_EXHAUSTED', `gave up after ${attempts} attempts: ${describeError(lastError)}`, { cause: lastError });
  }
}

/**
 * A create failed in a way that may have happened after the destination stored it (a timeout, a 5xx, a
 * dropped connection). Sending it again could make a second record, so it is not retried: its rows are
 * recorded as failed with this reason for someone to check.
 */
export class CreateOutcomeUnknownError extends EbbError {
  constructor(readonly lastError: unknown) {
    super(
      OUTCOME_UNKNOWN,
      `the create failed after it may have reached the destination (${describeError(lastError).replace(/\.\s*$/, '')}), so the record may exist; Ebb did not send it again, since a second create could make a duplicate. Check whether the destination has it: the next plan proposes it as a create again`,
      { cause: lastError },
    );
  }
}

export interface RetryObserver {
  onRetry(reason: 'rate-limited' | 'transient', attempt: number, delayMs: number, error: Error): void;
}

/** Full jitter around an exponential step, so retries from many batches don't arrive together. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Sends one call through the account's pacer, retrying what is retryable. Anything else
 * (auth, quota, terminal) is thrown at once: retrying cannot help it. A call that is not `idempotent`
 * (a create) is retried only after a 429, which the destination refused before doing anything.
 */
export async function sendWithRetry<T>(call: () => Promise<T>, pacer: AccountPacer, clock: Clock, policy: RetryPolicy, observer: RetryObserver, options: { idempotent: boolean }): Promise<T> {
  let rateLimited = 0;
  let transient = 0;
  for (;;) {
    try {
      return await pacer.schedule(call);
    } catch (error) {
      if (error instanceof RateLimitedError) {
        rateLimited += 1;
        if (rateLimited > policy.maxRateLimitedRetries) throw new RetriesExhaustedError(rateLimited + transient, error);
        pacer.pause(error.retryAfterMs);
        observer.onRetry('rate-limited', rateLimited, error.retryAfterMs, error);
        continue;
      }
      if (error instanceof TransientError) {
        if (!options.idempotent) throw new CreateOutcomeUnknownError(error);
        transient += 1;
        if (transient > policy.maxTransientRetries) throw new RetriesExhaustedError(rateLimited + transient, error);
        const delay = backoffDelay(transient - 1, policy);
        observer.onRetry('transient', transient, delay, error);
        await clock.sleep(delay);
        continue;
      }
      throw error;
    }
  }
}
