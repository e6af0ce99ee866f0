import { AuthError, RateLimitedError, TerminalError, TransientError, type RowError } from '../../core/errors.ts';
import { classifyHttpFailure } from '../http/classify.ts';
import { delayUntilEpochSeconds, parseRetryAfter } from '../http/retry-after.ts';
import { INTERCOM_WINDOW_MS } from './calls.ts';

/**
 * How one failed intercom-client request counts: against one record (`row`: Intercom refused this
 * payload) or against the call itself (`call`: 429, 5xx, network, auth — nothing to do with the row).
 */
export type Failure = { kind: 'row'; error: RowError } | { kind: 'call'; error: Error };

interface IntercomErrorItem {
  code?: unknown;
  message?: unknown;
  field?: unknown;
}

interface ErrorShape {
  statusCode?: unknown;
  body?: unknown;
  rawResponse?: { headers?: { get(name: string): string | null } };
}

/** The HTTP status of an intercom-client error; undefined for timeouts and network failures. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as ErrorShape | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Intercom's `error.list` items, when the body has them. */
export function errorItems(error: unknown): IntercomErrorItem[] {
  const body = (error as ErrorShape | null)?.body as { errors?: unknown } | undefined;
  return Array.isArray(body?.errors) ? (body.errors as IntercomErrorItem[]) : [];
}

function intercomMessage(error: unknown, status: number): string {
  const messages = errorItems(error)
    .map((e) => (typeof e.message === 'string' ? e.message : typeof e.code === 'string' ? e.code : ''))
    .filter((m) => m !== '');
  return messages.length > 0 ? messages.join('; ') : `HTTP ${status}`;
}

/** A per-row failure carrying Intercom's own code, message and field. */
export function rowErrorFrom(error: unknown, status: number): RowError {
  const first = errorItems(error)[0];
  const code = typeof first?.code === 'string' ? first.code : `HTTP_${status}`;
  const field = typeof first?.field === 'string' ? first.field : undefined;
  return { code, message: intercomMessage(error, status), ...(field === undefined ? {} : { field }) };
}

/**
 * The delay a 429 asks for: `Retry-After` when Intercom sends it, else the window's end from
 * `X-RateLimit-Reset` (epoch seconds), else one whole window. Clamped to [100 ms, 60 s] so clock skew
 * between us and Intercom can neither spin nor stall the engine (intercom-client caps at 60 s too).
 */
export function rateLimitDelayMs(error: unknown, nowMs: number = Date.now()): number {
  const headers = (error as ErrorShape | null)?.rawResponse?.headers;
  const get = (name: string): string | null => (headers && typeof headers.get === 'function' ? headers.get(name) : null);
  const delay = parseRetryAfter(get('retry-after'), nowMs) ?? delayUntilEpochSeconds(get('x-ratelimit-reset'), nowMs) ?? INTERCOM_WINDOW_MS;
  return Math.min(60_000, Math.max(100, delay));
}

/**
 * intercom-client 7 aborts a slow request with the reason string "timeout", which global fetch
 * rethrows as-is, so it surfaces as IntercomError('"timeout"') without a status rather than as its
 * IntercomTimeoutError (seen against the sandbox's delay knob). Both are recognised.
 */
function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.constructor.name === 'IntercomTimeoutError' || (statusOf(error) === undefined && error.message.trim() === '"timeout"');
}

/** Any intercom-client error without an HTTP status is a transport failure (refused, reset, DNS). */
function isTransportFailure(error: unknown): boolean {
  return error instanceof Error && 'rawResponse' in error && statusOf(error) === undefined;
}

export function classifyFailure(error: unknown): Failure {
  if (error instanceof AuthError || error instanceof TerminalError || error instanceof TransientError || error instanceof RateLimitedError) {
    return { kind: 'call', error };
  }
  if (isTimeout(error)) return { kind: 'call', error: new TransientError('Intercom did not answer within the timeout (option timeoutSeconds)', { cause: error, code: 'TIMEOUT' }) };
  if (isTransportFailure(error)) return { kind: 'call', error: new TransientError(`Could not reach Intercom: ${(error as Error).message}`, { cause: error, code: 'NETWORK' }) };
  const status = statusOf(error);
  if (status === undefined) return { kind: 'call', error: error instanceof Error ? error : new Error(String(error)) };
  // 409 concerns this record's data too: its email or external_id belongs to another contact.
  if (status === 400 || status === 409 || status === 422) return { kind: 'row', error: rowErrorFrom(error, status) };
  const message = `Intercom answered ${status}: ${intercomMessage(error, status)}`;
  if (status === 429) return { kind: 'call', error: new RateLimitedError(rateLimitDelayMs(error), message, { cause: error }) };
  if (status === 401 || status === 403) {
    return { kind: 'call', error: new AuthError(`${message}. Check the Intercom connection's accessToken (and its scopes).`, { cause: error, code: `HTTP_${status}` }) };
  }
  return { kind: 'call', error: classifyHttpFailure({ status, defaultRetryAfterMs: INTERCOM_WINDOW_MS, message }) };
}

/** For requests outside any one record (the schema lookup): every failure is a whole-call failure. */
export function asCallError(error: unknown): Error {
  const failure = classifyFailure(error);
  if (failure.kind === 'call') return failure.error;
  return new TerminalError(`Intercom refused the request: ${failure.error.message}`, { cause: error, code: failure.error.code });
}
