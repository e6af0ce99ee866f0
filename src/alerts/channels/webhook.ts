import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../../connectors/webhook/signature.ts';
import type { AlertChannel, AlertNotification } from '../notification.ts';
import { postWithRetry, type DeliveryRetryPolicy } from './http-post.ts';

export interface WebhookChannelOptions {
  name: string;
  url: string;
  secret: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retry: DeliveryRetryPolicy;
  sleep(ms: number): Promise<void>;
  /** Wall-clock seconds for `Ebb-Timestamp` (transport time, not the scheduler's clock). */
  nowSeconds?: () => number;
}

/** The JSON body a webhook receiver gets; `id` is also sent as the `Idempotency-Key` header. */
export interface AlertWebhookBody extends AlertNotification {
  type: 'ebb.alert';
}

/**
 * Signed JSON POSTs, signed like the webhook connector (`Ebb-Signature: v1=<hex HMAC-SHA256(secret,
 * "<Ebb-Timestamp>.<body>")>`), so one verifier serves both. The body and idempotency key are the same
 * on every retry; only the timestamp and signature are fresh.
 */
export function webhookChannel(options: WebhookChannelOptions): AlertChannel {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return {
    name: options.name,
    kind: 'webhook',
    async send(notification) {
      const payload: AlertWebhookBody = { type: 'ebb.alert', ...notification };
      const body = JSON.stringify(payload);
      await postWithRetry({
        url: options.url,
        body,
        headers: () => {
          const timestamp = String(nowSeconds());
          return {
            ...options.headers,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: webhookSignature(options.secret, timestamp, body),
            [IDEMPOTENCY_HEADER]: notification.id,
          };
        },
        timeoutMs: options.timeoutMs,
        retry: options.retry,
        sleep: options.sleep,
        label: `alert webhook "${options.name}"`,
      });
    },
  };
}
