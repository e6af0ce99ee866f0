import { describeError, TransientError } from '../../core/errors.ts';
import type { CallPacing, RateLimitObservation } from '../connector.ts';
import { classifyHttpFailure } from '../http/classify.ts';

/** The one node-zendesk method this connector uses: `request(method, uriSegments, body?)`. */
export interface ZendeskRequester {
  request(method: string, uri: unknown[], ...body: unknown[]): Promise<unknown>;
}

export interface ZendeskReply {
  status: number;
  body: unknown;
}

/** Headers as node-zendesk's fetch adapter exposes them. */
interface AdaptedResponse {
  status: number;
  headers: { get(name: string): string | null };
}

const WINDOW_MS = 60_000;

/** `{"error":"RecordInvalid","description":"…"}` (or a bare string) as one readable line. */
export function zendeskErrorText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (body === null || typeof body !== 'object') return '';
  const { error, description, details } = body as { error?: unknown; description?: unknown; details?: unknown };
  const parts = [typeof error === 'string' ? error : typeof error === 'object' && error ? JSON.stringify(error) : '', typeof description === 'string' ? description : ''];
  if (details && typeof details === 'object') parts.push(JSON.stringify(details).slice(0, 300));
  return parts.filter(Boolean).join(' — ');
}

const HINTS: Record<number, string> = {
  401: 'check the connection\'s `email` and `apiToken` (and that token access is enabled in Admin Center → Apps and integrations → Zendesk API)',
  403: 'the agent behind the token lacks permission for this endpoint (bulk user imports may need enabling by Zendesk support)',
};

/**
 * One applyBatch's view of node-zendesk: counts calls, remembers the last rate-limit headers, and
 * turns every way node-zendesk 6 reports a failure into the engine's error types. node-zendesk
 * resolves instead of throwing for several failures: any response carrying `Retry-After` (a 429
 * becomes `{ result: Error }`), and status codes outside its table (402, 413, 502, 504, …) come back
 * as if they succeeded. So the HTTP status is checked after every call.
 */
export class ZendeskApi {
  calls = 0;
  rateLimit: RateLimitObservation | undefined;

  /** `pacing`: from the engine; every request after the first (job polls, organization look-ups) waits for its slot. */
  constructor(
    private readonly client: ZendeskRequester,
    private readonly pacing?: CallPacing,
  ) {}

  /** Sends one request. `passStatuses` are returned to the caller instead of thrown (422 for row errors, 404 for lost jobs). */
  async send(method: string, uri: unknown[], body?: unknown, passStatuses: number[] = []): Promise<ZendeskReply> {
    const where = `${method} /${uri.filter((part) => typeof part !== 'object').join('/')}`;
    if (this.calls > 0) await this.pacing?.beforeExtraCall();
    this.calls += 1;
    let outcome: { response: AdaptedResponse; result: unknown };
    try {
      // node-zendesk pops a trailing query object off the array, so it gets a copy.
      outcome = (await this.client.request(method, [...uri], ...(body === undefined ? [] : [body]))) as typeof outcome;
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status !== 'number') {
        const code = (error as { code?: unknown }).code;
        throw new TransientError(`Zendesk ${where} failed before an answer: ${describeError(error)}`, { cause: error, code: typeof code === 'string' ? code : 'NETWORK' });
      }
      const result = (error as { result?: unknown }).result ?? null;
      if (passStatuses.includes(status)) return { status, body: result };
      throw this.failure(status, null, where, result, error);
    }
    const { response, result } = outcome;
    this.observe(response);
    // A Retry-After header (or a 204) makes node-zendesk hand back an Error whose `.result` is the real body.
    const payload = result instanceof Error ? ((result as { result?: unknown }).result ?? null) : result;
    const status = response.status;
    if (status >= 400 && !passStatuses.includes(status)) throw this.failure(status, response.headers.get('retry-after'), where, payload, result);
    return { status, body: payload };
  }

  private failure(status: number, retryAfter: string | null, where: string, body: unknown, cause: unknown): Error {
    const detail = zendeskErrorText(body);
    const hint = HINTS[status];
    const message = `Zendesk ${where} answered ${status}${detail ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}`;
    const error = classifyHttpFailure({ status, retryAfter, defaultRetryAfterMs: WINDOW_MS, message });
    (error as { cause?: unknown }).cause ??= cause;
    return error;
  }

  private observe(response: AdaptedResponse): void {
    const read = (...names: string[]): number | undefined => {
      for (const name of names) {
        const value = Number(response.headers.get(name));
        if (response.headers.get(name) !== null && Number.isFinite(value)) return value;
      }
      return undefined;
    };
    const max = read('x-rate-limit', 'ratelimit-limit');
    const remaining = read('x-rate-limit-remaining', 'ratelimit-remaining');
    if (max !== undefined || remaining !== undefined) this.rateLimit = { max, remaining, windowMs: WINDOW_MS };
  }
}
