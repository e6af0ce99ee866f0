import type { Client } from '@hubspot/api-client';
import { EbbError, TerminalError, TransientError } from '../../core/errors.ts';
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
    if (batch.items.length > 0) {
      try {
        await OPERATIONS[batch.operation]({ client: this.client, batch, progress, timed: (call) => this.timed(call) });
      } catch (error) {
        const typed = error instanceof EbbError ? error : classifyHubspotFailure(error);
        // Isolating rejected rows takes several calls. Once some rows are written, throwing would drop
        // their acknowledgement (and a re-sent create would duplicate them): report them, and the
        // unsent rows as failed with the reason, so they stay pending.
        if (![...progress.outcomes.values()].some((outcome) => outcome.status === 'ok')) throw typed;
        for (const index of batch.items.keys()) {
          if (!progress.outcomes.has(index)) {
            progress.outcomes.set(index, { status: 'failed', error: { code: typed.code, message: `not sent: ${typed.message}` } });
          }
        }
      }
    }
    const results = batch.items.map(
      (_, index): ItemResult => progress.outcomes.get(index) ?? { status: 'failed', error: { code: 'NO_RESULT', message: 'row was not sent' } },
    );
    const rateLimit = observeRateLimit(progress.lastHeaders);
    return { results, calls: progress.calls, ...(rateLimit !== undefined ? { rateLimit } : {}) };
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
