import { AuthError, QuotaExhaustedError, RateLimitedError, TerminalError, TransientError, describeError } from '../../core/errors.ts';
import type { ItemResult } from '../connector.ts';
import { classifyFailure } from './errors.ts';

/** What became of one record of the batch. */
export type Outcome =
  | { kind: 'done'; result: ItemResult }
  | { kind: 'call-failed'; error: Error }
  /** Not started, because an earlier request of the batch failed as a whole-call failure. */
  | { kind: 'not-attempted' };

/** Code of the records a partly delivered batch hands back for the next run. */
export const RETRY_LATER = 'RETRY_LATER';

/**
 * Runs one request chain per record, at most `concurrency` at once. After the first whole-call
 * failure (429, 5xx, network, auth) no new record is started: the window is spent or Intercom is
 * unwell, and hammering it would only earn more 429s. Records already in flight finish.
 */
export async function runRecords<T>(items: T[], concurrency: number, work: (item: T) => Promise<ItemResult>): Promise<Outcome[]> {
  const outcomes: Outcome[] = items.map(() => ({ kind: 'not-attempted' }));
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { kind: 'done', result: await work(items[index] as T) };
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'row') {
          outcomes[index] = { kind: 'done', result: { status: 'failed', error: failure.error } };
        } else {
          outcomes[index] = { kind: 'call-failed', error: failure.error };
          stopped = true;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return outcomes;
}

function severity(error: Error): number {
  if (error instanceof AuthError) return 5;
  if (error instanceof TerminalError) return 4;
  if (error instanceof QuotaExhaustedError) return 3;
  if (error instanceof RateLimitedError) return 2;
  if (error instanceof TransientError) return 1;
  return 0;
}

/** The failure the engine must act on: stop for auth, wait the longest asked delay for 429s. */
function decisiveError(errors: Error[]): Error {
  const worst = Math.max(...errors.map(severity));
  const candidates = errors.filter((e) => severity(e) === worst);
  if (worst === 2) return candidates.reduce((a, b) => ((a as RateLimitedError).retryAfterMs >= (b as RateLimitedError).retryAfterMs ? a : b));
  return candidates[0] as Error;
}

/**
 * Turns outcomes into one result per record, or throws.
 *
 * Intercom has no batch endpoint, so one applyBatch is many requests and a 429 or 5xx can hit some
 * records after others were already written. The engine treats a thrown error as "nothing of this
 * batch happened" and re-sends all of it, so:
 * - if no record was written, the typed error is thrown (RateLimitedError with Intercom's delay,
 *   TransientError, AuthError, ...) and the engine waits/retries/stops as it does for any destination;
 * - if some records were written, throwing would discard their acknowledgement. Those are returned ok
 *   and the rest as failed with code RETRY_LATER, retryable, and the reason. The engine re-sends them
 *   within the run after a backoff (and, if they still fail, leaves them un-committed for the next
 *   plan); upserts by external_id make that re-send safe. When a 429 cut the batch off, its delay
 *   comes back as `rateLimitedMs`, so the engine waits it out before the re-send. A re-send Intercom
 *   still refuses before writing anything fails whole and is thrown as usual.
 */
export function settle(outcomes: Outcome[]): { results: ItemResult[]; rateLimitedMs?: number } {
  const callErrors = outcomes.flatMap((o) => (o.kind === 'call-failed' ? [o.error] : []));
  if (callErrors.length === 0) return { results: outcomes.map((o) => (o.kind === 'done' ? o.result : retryLater('not attempted'))) };
  const delivered = outcomes.some((o) => o.kind === 'done' && o.result.status === 'ok');
  const decisive = decisiveError(callErrors);
  if (!delivered) throw decisive;
  const results = outcomes.map((o) => {
    if (o.kind === 'done') return o.result;
    if (o.kind === 'call-failed') return retryLater(`not delivered: ${describeError(o.error)}`);
    return retryLater(`not attempted after another request of this batch failed: ${describeError(decisive)}`);
  });
  // The engine waits out a 429 it is told of, even when the batch returns instead of throwing.
  return decisive instanceof RateLimitedError ? { results, rateLimitedMs: decisive.retryAfterMs } : { results };
}

/** Retryable: the engine sends these again within the run (after a backoff), then leaves them to the next plan. */
function retryLater(reason: string): ItemResult {
  return {
    status: 'failed',
    error: { code: RETRY_LATER, message: `${reason}. Other records of this batch were delivered; this one is sent again.`, retryable: true },
  };
}
