import { AuthError, RateLimitedError, TerminalError, TransientError } from '../../core/errors.ts';
import { parseRetryAfter } from './retry-after.ts';

/**
 * The common mapping of a whole-call HTTP failure to the engine's error types. Connectors handle
 * their destination's specifics first (HubSpot's DAILY policy, Salesforce's REQUEST_LIMIT_EXCEEDED)
 * and fall back to this.
 */
export function classifyHttpFailure(input: {
  status: number;
  retryAfter?: string | null;
  /** Used when a 429 carries no Retry-After. */
  defaultRetryAfterMs: number;
  message: string;
}): Error {
  const { status, message } = input;
  if (status === 429) {
    return new RateLimitedError(parseRetryAfter(input.retryAfter) ?? input.defaultRetryAfterMs, message);
  }
  if (status === 401 || status === 403) return new AuthError(message, { code: `HTTP_${status}` });
  if (status === 408 || status >= 500) return new TransientError(message, { code: `HTTP_${status}` });
  return new TerminalError(message, { code: `HTTP_${status}` });
}

/** Network-level failures (refused, reset, timed out) are worth retrying. */
export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED'].includes(code)
  );
}
