import { AuthError, EbbError, QuotaExhaustedError, RateLimitedError, TerminalError, TransientError, describeError } from '../../core/errors.ts';
import { classifyHttpFailure, isNetworkError } from '../http/classify.ts';

/** jsforce's HttpApiError: `errorCode` is Salesforce's, or `ERROR_HTTP_<status>` for a body that was not JSON. */
interface ApiErrorLike {
  name?: string;
  errorCode?: string;
  message?: string;
  type?: string;
  code?: string;
}

/** How long to wait after Salesforce refuses a call for too many concurrent long-running requests. */
const CONCURRENCY_BACKOFF_MS = 5_000;

const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'UNKNOWN_EXCEPTION', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT']);
const AUTH_CODES = new Set(['INSUFFICIENT_ACCESS', 'API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED', 'INVALID_AUTH_HEADER', 'INVALID_SESSION_ID', 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD']);

/**
 * Salesforce's own error code. When a call asked jsforce for a text body (the bulk CSV files), jsforce
 * does not parse a JSON error either and reports `ERROR_HTTP_<status>` with the raw JSON as message.
 */
export function errorCodeOf(error: unknown): string | undefined {
  const e = error as ApiErrorLike | null;
  const code = e?.errorCode ?? undefined;
  if (code === undefined || !/^ERROR_HTTP_\d{3}$/.test(code)) return code;
  return embeddedError(e?.message)?.errorCode ?? code;
}

function embeddedError(message: string | undefined): { errorCode?: string; message?: string } | undefined {
  if (!message?.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(message) as Array<{ errorCode?: unknown; message?: unknown }>;
    const first = parsed[0];
    return typeof first?.errorCode === 'string' ? { errorCode: first.errorCode, ...(typeof first.message === 'string' ? { message: first.message } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

export function isInvalidSession(error: unknown): boolean {
  return errorCodeOf(error) === 'INVALID_SESSION_ID';
}

/** REQUEST_LIMIT_EXCEEDED means either the daily allocation (stop) or concurrent long-running calls (slow down). */
export function isConcurrencyLimit(error: unknown): boolean {
  return errorCodeOf(error) === 'REQUEST_LIMIT_EXCEEDED' && /concurrent/i.test(embeddedError((error as ApiErrorLike).message)?.message ?? describeError(error));
}

/** Turns what jsforce threw for a whole call into the engine's error types. */
export function classifySalesforceError(error: unknown, what: string): Error {
  if (error instanceof EbbError) return error;
  const e = (error ?? {}) as ApiErrorLike;
  const code = errorCodeOf(error);
  const detail = code !== e.errorCode ? (embeddedError(e.message)?.message ?? describeError(error)) : describeError(error);
  const message = `Salesforce ${what} failed: ${code ? `${code}: ` : ''}${detail}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    if (isConcurrencyLimit(error)) {
      return new RateLimitedError(CONCURRENCY_BACKOFF_MS, `${message} — too many long-running requests in flight for this org; lower maxConcurrent if this repeats`, { cause: error });
    }
    return new QuotaExhaustedError(
      `${message} — the org's daily API allocation is used up. Nothing more is sent this run; the remaining rows stay pending until usage rolls off the 24-hour window.`,
      { cause: error, code: 'REQUEST_LIMIT_EXCEEDED' },
    );
  }
  if (code === 'INVALID_SESSION_ID') {
    return new AuthError(`${message} — the session was refused even after logging in again; check the user's API permission and the connected app's policies`, { cause: error, code });
  }
  if (code && TRANSIENT_CODES.has(code)) return new TransientError(message, { cause: error, code });
  if (code && AUTH_CODES.has(code)) return new AuthError(`${message} — the integration user lacks access; check its profile and permission sets`, { cause: error, code });
  const status = code ? /^ERROR_HTTP_(\d{3})$/.exec(code)?.[1] : undefined;
  if (status) return classifyHttpFailure({ status: Number(status), defaultRetryAfterMs: CONCURRENCY_BACKOFF_MS, message });
  if (e.name === 'AbortError' || e.type === 'aborted') {
    return new TransientError(`Salesforce ${what} timed out (requestTimeoutMs); the write may still have happened — re-sending an upsert is safe`, { cause: error, code: 'TIMEOUT' });
  }
  if (isNetworkError(error) || e.name === 'FetchError') return new TransientError(`Salesforce ${what} failed on the network: ${describeError(error)}`, { cause: error, code: e.code ?? 'NETWORK' });
  if (code === 'NOT_FOUND') return new TerminalError(`${message} — check the object name and the External ID field (matchOn)`, { cause: error, code });
  return new TerminalError(message, { cause: error, ...(code ? { code } : {}) });
}
