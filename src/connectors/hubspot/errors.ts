import { AuthError, EbbError, QuotaExhaustedError, RateLimitedError, TerminalError, TransientError, type RowError } from '../../core/errors.ts';
import { classifyHttpFailure, isNetworkError } from '../http/classify.ts';
import { parseRetryAfter } from '../http/retry-after.ts';

/** HubSpot's error JSON (thrown bodies are raw: `in`; deserialised 207 entries: `_in`). Every field may be missing. */
export interface HubspotErrorBody {
  status?: string;
  category?: string;
  message?: string;
  policyName?: string;
  context?: Record<string, unknown>;
  errors?: { code?: string; message?: string; in?: string; _in?: string; context?: Record<string, unknown> }[];
}

/** What `@hubspot/api-client` throws for a non-2xx response (`ApiException`). */
export interface HubspotApiException {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

export function asApiException(error: unknown): HubspotApiException | null {
  const candidate = error as Partial<HubspotApiException> | null;
  if (candidate && typeof candidate.code === 'number' && 'body' in candidate && typeof candidate.headers === 'object') {
    return { code: candidate.code, body: candidate.body, headers: candidate.headers ?? {} };
  }
  return null;
}

export function errorBodyOf(exception: HubspotApiException): HubspotErrorBody {
  const { body } = exception;
  if (typeof body === 'object' && body !== null) return body as HubspotErrorBody;
  return { message: typeof body === 'string' && body.trim() !== '' ? body.slice(0, 300) : `HTTP ${exception.code}` };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The per-row error HubSpot gave, keeping its own code, message and the property at fault. */
export function rowErrorFromHubspot(error: HubspotErrorBody): RowError {
  const details = error.errors ?? [];
  const first = details[0];
  const detailMessages = details.map((detail) => detail.message).filter((message): message is string => Boolean(message));
  const field = strings(first?.context?.propertyName)[0] ?? first?._in ?? first?.in ?? strings(error.context?.properties)[0];
  return {
    code: first?.code ?? error.category ?? 'HUBSPOT_ERROR',
    message: detailMessages.length > 0 ? detailMessages.join('; ') : (error.message ?? 'HubSpot rejected this record without a message'),
    ...(field !== undefined ? { field } : {}),
  };
}

/**
 * A whole-batch rejection that is about some of the rows (HubSpot fails the whole batch for some row
 * errors): the caller isolates the bad rows by splitting. Request-level problems are not row-level.
 */
export function isRowLevelRejection(exception: HubspotApiException): boolean {
  const body = errorBodyOf(exception);
  if (/Unable to infer object type|idProperty/i.test(body.message ?? '')) return false;
  if (exception.code === 400 || exception.code === 409) return true;
  return exception.code === 404 && body.category === 'OBJECT_NOT_FOUND';
}

function missingScopes(body: HubspotErrorBody): string[] {
  const found = new Set<string>();
  for (const context of [body.context, ...(body.errors ?? []).map((detail) => detail.context)]) {
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'missingScopes']) {
      for (const scope of strings(context?.[key])) found.add(scope);
    }
  }
  return [...found];
}

/** Maps a failed call to the engine's typed errors. */
export function classifyHubspotFailure(error: unknown): EbbError {
  const exception = asApiException(error);
  if (exception === null) {
    if (error instanceof EbbError) return error;
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (error instanceof TypeError || isNetworkError(error) || isNetworkError(cause)) {
      return new TransientError(`HubSpot could not be reached: ${describe(error)}`, { cause: error, code: 'NETWORK' });
    }
    return new TransientError(`HubSpot call failed: ${describe(error)}`, { cause: error });
  }
  const body = errorBodyOf(exception);
  const message = `HubSpot answered ${exception.code}${body.category ? ` ${body.category}` : ''}: ${body.message ?? ''}`.trim();
  const headers = exception.headers;
  if (exception.code === 429) {
    if (body.policyName === 'DAILY') return dailyLimitError(headers, exception);
    const waitMs = parseRetryAfter(headers['retry-after']) ?? positiveInt(headers['x-hubspot-ratelimit-interval-milliseconds']) ?? 10_000;
    return new RateLimitedError(waitMs, `${message} (policy ${body.policyName ?? 'unknown'}); retry after ${waitMs} ms`, { cause: error });
  }
  if (exception.code === 401) {
    return new AuthError(`${message}. Check that accessToken is a current private app token for this HubSpot account.`, {
      cause: error,
      code: 'HUBSPOT_INVALID_AUTHENTICATION',
    });
  }
  if (exception.code === 403) {
    const scopes = missingScopes(body);
    if (body.category === 'MISSING_SCOPES' || scopes.length > 0) {
      return new AuthError(
        `HubSpot token is missing required scopes: ${scopes.length > 0 ? scopes.join(', ') : '(HubSpot did not list them)'}. ` +
          'Add them to the private app (Settings → Integrations → Private Apps → Scopes) and use its new token.',
        { cause: error, code: 'HUBSPOT_MISSING_SCOPES' },
      );
    }
  }
  if (exception.code === 400 && /Unable to infer object type/i.test(body.message ?? '')) {
    return new TerminalError(`${message}. Check the sync's destination object (a custom object needs its "2-…" type id or "p_<name>").`, {
      cause: error,
      code: 'UNKNOWN_OBJECT',
    });
  }
  // classifyHttpFailure only ever builds EbbError subclasses.
  return classifyHttpFailure({ status: exception.code, retryAfter: headers['retry-after'], defaultRetryAfterMs: 10_000, message }) as EbbError;
}

function dailyLimitError(headers: Record<string, string>, cause: unknown): QuotaExhaustedError {
  const daily = headers['x-hubspot-ratelimit-daily'];
  return new QuotaExhaustedError(
    `HubSpot's daily API limit for this account is used up${daily ? ` (${daily} calls per day)` : ''}. ` +
      "It resets at midnight in the HubSpot account's time zone; rows not yet sent stay pending and go out on the first run after the reset. " +
      'To stay under it, run the sync less often or raise the limit (API limit increase pack).',
    { cause, code: 'HUBSPOT_DAILY_LIMIT' },
  );
}

function positiveInt(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return value > 0 ? value : null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = (cause as { code?: unknown } | null)?.code;
  return typeof causeCode === 'string' ? `${error.message} (${causeCode})` : error.message;
}
