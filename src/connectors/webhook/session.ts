import { AuthError, RateLimitedError, TerminalError, TransientError, describeError } from '../../core/errors.ts';
import type { Batch, BatchItem, BatchResult, ConnectorSession, ItemResult, RateLimitObservation } from '../connector.ts';
import { parseRetryAfter } from '../http/retry-after.ts';
import { batchIdempotencyKey, changeIdempotencyKey } from './idempotency.ts';
import type { WebhookOptions } from './options.ts';
import { callRejected, rateLimitObservation, receiverMessage, successResults } from './response.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './signature.ts';
import { assertWebhookObject } from './objects.ts';

/** The JSON body of one call. */
export interface WebhookPayload {
  object: string;
  operation: Batch['operation'];
  changes: { key: string; idempotencyKey: string; fields: BatchItem['fields']; changedFields: string[]; remoteId: string | null }[];
}

const DEFAULT_RETRY_AFTER_MS = 1000;

/** POSTs signed batches of changes to the team's own endpoint with node's fetch. */
export class WebhookSession implements ConnectorSession {
  constructor(private readonly options: WebhookOptions) {}

  async applyBatch(batch: Batch): Promise<BatchResult> {
    assertWebhookObject(batch.object, this.options.objects);
    const results: ItemResult[] = [];
    let calls = 0;
    let rateLimit: RateLimitObservation | undefined;
    for (let start = 0; start < batch.items.length; start += this.options.batchSize) {
      const chunk = batch.items.slice(start, start + this.options.batchSize);
      calls += 1;
      const outcome = await this.post(batch, chunk);
      results.push(...outcome.results);
      rateLimit = outcome.rateLimit ?? rateLimit;
    }
    return { results, calls, rateLimit };
  }

  async close(): Promise<void> {}

  private async post(batch: Batch, items: BatchItem[]): Promise<{ results: ItemResult[]; rateLimit?: RateLimitObservation }> {
    const changes = items.map((item) => ({
      key: item.key,
      idempotencyKey: changeIdempotencyKey(batch.object, batch.operation, item),
      fields: item.fields,
      changedFields: item.changedFields,
      remoteId: item.remoteId,
    }));
    const payload: WebhookPayload = { object: batch.object, operation: batch.operation, changes };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      ...this.options.headers,
      'content-type': 'application/json',
      'user-agent': 'ebb-webhook/1',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: webhookSignature(this.options.secret, timestamp, body),
      [IDEMPOTENCY_HEADER]: batchIdempotencyKey(changes.map((change) => change.idempotencyKey)),
    };

    let response: Response;
    let text: string;
    try {
      const signal = AbortSignal.timeout(this.options.timeoutMs);
      // Not followed: a 301/302/303 would re-send the POST as a GET without its body, whose 2xx would
      // count every change as delivered; and the signature would go along to wherever it points.
      response = await fetch(this.options.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      text = await response.text();
    } catch (error) {
      throw this.networkFailure(error);
    }
    const rateLimit = rateLimitObservation(response.headers);
    const status = response.status;
    if (status >= 200 && status < 300) return { results: successResults(items, text), rateLimit };
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      throw new TerminalError(
        `Webhook ${this.options.url} answered ${status}, a redirect${location ? ` to ${new URL(location, this.options.url).href}` : ' (without a Location)'}: nothing was delivered. Set the connection's \`url\` to the endpoint's final URL and re-run: the next plan proposes these changes again.`,
        { code: `HTTP_${status}` },
      );
    }
    const message = `Webhook ${this.options.url} answered ${status}: ${receiverMessage(text, status)}`;
    if (status === 429) throw new RateLimitedError(parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS, message);
    if (status === 408 || status >= 500) throw new TransientError(message, { code: `HTTP_${status}` });
    // A receiver refusing our signature is a configuration problem for the whole sync, not for these rows.
    if (status === 401 || status === 403) throw new AuthError(`${message} (check that the connection's \`secret\` matches the receiver's)`, { code: `HTTP_${status}` });
    return { results: callRejected(items, status, text), rateLimit };
  }

  private networkFailure(error: unknown): Error {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new TransientError(
        `Webhook ${this.options.url} did not answer within ${this.options.timeoutMs} ms; it may have applied the changes, so they are re-sent with the same idempotency keys.`,
        { cause: error, code: 'TIMEOUT' },
      );
    }
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
    const code = typeof cause?.code === 'string' ? cause.code : 'NETWORK';
    return new TransientError(`Webhook ${this.options.url} could not be reached: ${describeError(error)}${code !== 'NETWORK' ? ` (${code})` : ''}`, { cause: error, code });
  }
}
