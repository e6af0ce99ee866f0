import type { CallPacing, RateLimitObservation } from '../connector.ts';

/** Intercom spreads its per-minute limit over 10 s windows; `X-RateLimit-Limit` is per window. */
export const INTERCOM_WINDOW_MS = 10_000;

interface HeaderBag {
  get(name: string): string | null;
}

/** What every intercom-client call can give back: the body and the raw response's headers. */
export interface RawCall<T> {
  withRawResponse(): Promise<{ data: T; rawResponse: { headers: HeaderBag } }>;
}

function readInt(headers: HeaderBag, name: string): number | undefined {
  const text = headers.get(name);
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export function observeRateLimit(headers: HeaderBag | undefined): RateLimitObservation | undefined {
  if (headers === undefined || typeof headers.get !== 'function') return undefined;
  const max = readInt(headers, 'x-ratelimit-limit');
  const remaining = readInt(headers, 'x-ratelimit-remaining');
  if (max === undefined && remaining === undefined) return undefined;
  return { ...(max === undefined ? {} : { max }), ...(remaining === undefined ? {} : { remaining }), windowMs: INTERCOM_WINDOW_MS };
}

/**
 * Counts the requests one applyBatch makes (every request, failed ones too: each one spends the
 * rate budget), paces each one after the first with the engine's `CallPacing`, and keeps the
 * rate-limit headers of the latest response.
 */
export class CallTracker {
  calls = 0;
  rateLimit: RateLimitObservation | undefined;

  constructor(private readonly pacing?: CallPacing) {}

  async send<T>(call: () => RawCall<T>): Promise<T> {
    await this.beforeCall();
    try {
      const { data, rawResponse } = await call().withRawResponse();
      this.observe(rawResponse.headers);
      return data;
    } catch (error) {
      this.observe((error as { rawResponse?: { headers?: HeaderBag } } | null)?.rawResponse?.headers);
      throw error;
    }
  }

  /** Paged endpoints (search) resolve to a page object that carries its raw response. */
  async sendPage<T>(call: () => Promise<{ data: T[]; rawResponse: { headers: HeaderBag } }>): Promise<T[]> {
    await this.beforeCall();
    try {
      const page = await call();
      this.observe(page.rawResponse.headers);
      return page.data;
    } catch (error) {
      this.observe((error as { rawResponse?: { headers?: HeaderBag } } | null)?.rawResponse?.headers);
      throw error;
    }
  }

  /** Counted before waiting, so records starting together see that one of them already took the first call. */
  private async beforeCall(): Promise<void> {
    const extra = this.calls > 0;
    this.calls += 1;
    if (extra) await this.pacing?.beforeExtraCall();
  }

  private observe(headers: HeaderBag | undefined): void {
    const observation = observeRateLimit(headers);
    if (observation !== undefined) this.rateLimit = observation;
  }
}
