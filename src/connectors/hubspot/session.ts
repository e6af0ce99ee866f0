import type { Client } from '@hubspot/api-client';
import { EbbError, OUTCOME_UNKNOWN, RateLimitedError, TerminalError, TransientError } from '../../core/errors.ts';
import type { Batch, BatchResult, CallPacing, ConnectorSession, ItemResult, RemoteField } from '../connector.ts';
import { describeObject } from './describe.ts';
import { classifyHubspotFailure } from './errors.ts';
import type { BatchProgress } from './isolate.ts';
import { HUBSPOT_MAX_BATCH, assertHubspotObject } from './objects.ts';
import { create, remove, update, upsert } from './operations.ts';
import type { HubspotOptions } from './options.ts';
import { observeRateLimit } from './rate-limit.ts';

const OPERATIONS = { upsert, create, update, delete: remove };

export class HubspotSession implements ConnectorSession {
  constructor(
    private readonly client: Client,
    private readonly options: HubspotOptions,
  ) {}

  async applyBatch(batch: Batch, pacing?: CallPacing): Promise<BatchResult> {
    assertHubspotObject(batch.object);
    if (batch.items.length > HUBSPOT_MAX_BATCH) {
      throw new TerminalError(`hubspot: a batch of ${batch.items.length} exceeds HubSpot's ${HUBSPOT_MAX_BATCH} inputs per call`, { code: 'BATCH_TOO_LARGE' });
    }
    const progress: BatchProgress = { calls: 0, outcomes: new Map(), pacing };
    let rateLimitedMs: number | undefined;
    if (batch.items.length > 0) {
      try {
        await OPERATIONS[batch.operation]({ client: this.client, batch, progress, timed: (call) => this.timed(call) });
      } catch (error) {
        const typed = error instanceof EbbError ? error : classifyHubspotFailure(error);
        rateLimitedMs = settleCutOffBatch(batch, progress, typed);
      }
    }
    const results = batch.items.map(
      (_, index): ItemResult => progress.outcomes.get(index) ?? { status: 'failed', error: { code: 'NO_RESULT', message: 'row was not sent' } },
    );
    const rateLimit = observeRateLimit(progress.lastHeaders);
    return {
      results,
      calls: progress.calls,
      ...(rateLimit !== undefined ? { rateLimit } : {}),
      ...(rateLimitedMs !== undefined ? { rateLimitedMs } : {}),
    };
  }

  async describe(object: string): Promise<RemoteField[]> {
    assertHubspotObject(object);
    try {
      return await describeObject(this.client, object, (call) => this.timed(call));
    } catch (error) {
      throw error instanceof EbbError ? error : classifyHubspotFailure(error);
    }
  }

  async close(): Promise<void> {
    // The client holds no connections of its own (global fetch); nothing to release.
  }

  /** The client has no request timeout; a call that outlives timeoutMs is reported as transient. */
  private timed<T>(call: Promise<T>): Promise<T> {
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransientError(`HubSpot did not answer within ${timeoutMs} ms`, { code: 'TIMEOUT' })), timeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * A call of the batch failed as a whole after isolating rejections had already made others. Throwing
 * would drop what the earlier calls settled (and a re-sent create would duplicate the rows they wrote),
 * so the batch's rows are reported one by one instead:
 * - rows of the failed call, when it was a create that failed in a way that may have followed its
 *   landing (timeout, dropped connection, 5xx: our timeout does not abort the request), as
 *   OUTCOME_UNKNOWN: the record may exist, so the engine must not create it again unseen;
 * - rows not yet settled otherwise as not sent, with the reason, so they stay pending. After a 429
 *   (HubSpot refuses it before writing anything) they are retryable, and the delay comes back as the
 *   batch's `rateLimitedMs` for the engine to wait out first.
 * When there is nothing to keep apart (nothing written, and not a create cut off part-way), the error
 * is thrown and the engine handles the whole batch as usual. Returns the 429's delay, if any.
 */
function settleCutOffBatch(batch: Batch, progress: BatchProgress, error: EbbError): number | undefined {
  const uncertain = new Set(batch.operation === 'create' && error instanceof TransientError ? (progress.inFlight ?? []) : []);
  const written = [...progress.outcomes.values()].some((outcome) => outcome.status === 'ok');
  const wholeBatchUncertain = batch.items.every((_, index) => uncertain.has(index));
  if (!written && (uncertain.size === 0 || wholeBatchUncertain)) throw error;
  const rateLimited = error instanceof RateLimitedError;
  for (const index of batch.items.keys()) {
    if (progress.outcomes.has(index)) continue;
    const outcome: ItemResult = uncertain.has(index)
      ? {
          status: 'failed',
          error: {
            code: OUTCOME_UNKNOWN,
            message:
              `the call carrying this create failed after it may have reached HubSpot (${error.message.replace(/\.\s*$/, '')}), so the record may exist although Ebb never learned its id. ` +
              'Ebb did not send it again, since a second create could make a duplicate: check HubSpot for it; the next plan proposes it as a create again',
          },
        }
      : { status: 'failed', error: { code: error.code, message: `not sent: ${error.message}`, ...(rateLimited ? { retryable: true } : {}) } };
    progress.outcomes.set(index, outcome);
  }
  return rateLimited ? error.retryAfterMs : undefined;
}
