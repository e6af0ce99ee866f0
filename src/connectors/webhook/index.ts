import type { ConnectorDefinition, ConnectorSession, ObjectCapabilities, RateBudget } from '../connector.ts';
import { assertWebhookObject } from './objects.ts';
import { parseWebhookOptions, webhookOptionProblems } from './options.ts';
import { WebhookSession } from './session.ts';

export { verifyWebhookSignature, checkWebhookSignature, webhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER } from './signature.ts';
export { changeIdempotencyKey } from './idempotency.ts';
export type { WebhookPayload } from './session.ts';

/**
 * Changes POSTed as signed JSON to a team's own service (see README.md for the wire format).
 * Every operation is passed through; the receiver decides what `upsert`, `update`, `create` and
 * `delete` mean for its objects, and dedupes re-sends by each change's idempotency key.
 */
export const webhookConnector: ConnectorDefinition = {
  kind: 'webhook',

  validateOptions: (options) => webhookOptionProblems(options),

  capabilities(object, options): ObjectCapabilities {
    const parsed = parseWebhookOptions(options);
    assertWebhookObject(object, parsed.objects);
    const size = parsed.batchSize;
    // Every change carries an idempotency key the receiver dedupes on, so a re-sent create is safe.
    return { operations: ['upsert', 'create', 'update', 'delete'], maxBatchSize: { upsert: size, create: size, update: size, delete: size }, idempotentCreates: true };
  },

  rateBudget(options): RateBudget {
    const parsed = parseWebhookOptions(options);
    return { requests: parsed.requestsPerMinute, windowMs: 60_000, maxConcurrent: parsed.maxConcurrent };
  },

  /** The endpoint without query string or credentials, which may hold secrets. */
  accountKey(options) {
    const url = new URL(String(options.url));
    return `webhook:${url.origin}${url.pathname}`;
  },

  async open(options): Promise<ConnectorSession> {
    return new WebhookSession(parseWebhookOptions(options));
  },
};
