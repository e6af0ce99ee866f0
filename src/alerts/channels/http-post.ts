import { EbbError, describeError } from '../../core/errors.ts';
import { parseRetryAfter } from '../../connectors/http/retry-after.ts';

export interface DeliveryRetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Short on purpose: a channel that is down must not hold up the notifications queued behind it, nor a
 * shutdown. What these attempts do not deliver stays in the outbox and is retried at the next evaluation.
 */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetryPolicy = { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000 };

/** The channel refused the notification, or kept failing until the retries ran out. */
export class AlertDeliveryError extends EbbError {
  /**
   * True when the endpoint gave no usable answer after every attempt (timeouts, network errors, 408,
   * 429, 5xx): the channel is down, so the notifications queued behind this one would fail the same way.
   */
  readonly channelDown: boolean;

  constructor(message: string, options?: { cause?: unknown; channelDown?: boolean }) {
    super('ALERT_DELIVERY_FAILED', message, options);
    this.channelDown = options?.channelDown ?? false;
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
  /** The URL's path is a secret (Slack): a redirect's target is named by its origin only. */
  secretPath?: boolean;
}

/**
 * POSTs a JSON body, retrying timeouts, network errors, 408, 429 (after Retry-After) and 5xx with
 * exponential backoff and jitter; any other 4xx is a configuration problem and is not retried, nor is a
 * redirect: following one turns the POST into a GET without its body (301/302), which the old URL's
 * server then answers 200, so the alert would count as delivered while nobody received it.
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
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      if (response.status >= 300 && response.status < 400) {
        throw new AlertDeliveryError(`${request.label} answered ${response.status}: ${redirectAdvice(request, response.headers.get('location'))} (a redirect is not followed: it would drop the alert)`);
      }
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
  throw new AlertDeliveryError(`${request.label} ${lastProblem} (gave up after ${request.retry.attempts} attempts)`, { channelDown: true });
}

/** Names the redirect's target, the URL to configure (for a secret URL, its origin and whether the path changed). */
function redirectAdvice(request: PostRequest, location: string | null): string {
  if (!location) return 'the URL redirects, without saying where (no Location header); configure the endpoint\'s final URL';
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return `the URL redirects to an invalid Location (${location.slice(0, 200)}); configure the endpoint's final URL`;
  }
  if (!request.secretPath) return `the URL redirects to ${target.href}; configure that URL`;
  const configured = new URL(request.url);
  const samePath = target.pathname === configured.pathname && target.search === configured.search;
  return `the URL redirects to ${target.origin}${samePath ? ' with the same path' : ' (another path, not shown: the URL is a secret)'}; configure that URL`;
}

function backoff(attempt: number, policy: DeliveryRetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + Math.random() * (step / 2));
}
