import { EbbError, describeError } from '../../core/errors.ts';
import { parseRetryAfter } from '../../connectors/http/retry-after.ts';

export interface DeliveryRetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** The channel refused the notification, or kept failing until the retries ran out. */
export class AlertDeliveryError extends EbbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ALERT_DELIVERY_FAILED', message, options);
  }
}

export interface PostRequest {
  url: string;
  body: string;
  /** Called per attempt, so signatures carry a fresh timestamp on every retry. */
  headers(): Record<string, string>;
  timeoutMs: number;
  retry: DeliveryRetryPolicy;
  sleep(ms: number): Promise<void>;
  /** Names the endpoint in errors without its URL (Slack's URL is the secret). */
  label: string;
}

/**
 * POSTs a JSON body, retrying timeouts, network errors, 408, 429 (after Retry-After) and 5xx with
 * exponential backoff and jitter; any other 4xx is a configuration problem and is not retried.
 */
export async function postWithRetry(request: PostRequest): Promise<void> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= request.retry.attempts; attempt += 1) {
    let waitMs: number | null = null;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ebb-alerts/1', ...request.headers() },
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      lastProblem = `answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      if (!retryable) throw new AlertDeliveryError(`${request.label} ${lastProblem}; not retried: check the channel's URL and secret`);
      const retryAfter = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : null;
      if (retryAfter !== null) waitMs = Math.min(retryAfter, request.retry.maxDelayMs);
    } catch (error) {
      if (error instanceof AlertDeliveryError) throw error;
      lastProblem = `did not answer: ${describeError(error)}`;
    }
    if (attempt < request.retry.attempts) await request.sleep(waitMs ?? backoff(attempt, request.retry));
  }
  throw new AlertDeliveryError(`${request.label} ${lastProblem} (gave up after ${request.retry.attempts} attempts)`);
}

function backoff(attempt: number, policy: DeliveryRetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + Math.random() * (step / 2));
}
