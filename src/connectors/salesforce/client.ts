import type { Connection, HttpRequest } from 'jsforce';
import type { Authenticator } from './auth.ts';
import type { OrgBudget } from './budget.ts';
import { classifySalesforceError, isInvalidSession } from './errors.ts';

/** API calls one applyBatch made, for `BatchResult.calls`. */
export interface Meter {
  calls: number;
}

export interface CallOptions {
  /** Refuse to start when the daily budget is spent. Off for the later steps of a started bulk job, which must finish. */
  checkBudget?: boolean;
}

interface LimitsBody {
  DailyApiRequests?: { Max?: number; Remaining?: number };
}

/**
 * One jsforce Connection plus what the engine needs around every call: the daily-budget check, the
 * `Sforce-Limit-Info` reading, one transparent session renewal on INVALID_SESSION_ID, and typed errors.
 */
export class SalesforceClient {
  private generation = 0;
  private renewing: Promise<void> | null = null;
  private lastLimitInfo: unknown;

  constructor(
    readonly conn: Connection,
    private readonly auth: Authenticator,
    readonly budget: OrgBudget,
    /** Per-call jsforce request options: the timeout, and retries off (the engine owns retries). */
    private readonly requestOptions: Record<string, unknown>,
    /** When set, token responses cannot move the connection to another instance. */
    private readonly pinnedInstanceUrl: string | undefined,
  ) {}

  /** A REST call through jsforce; `text` returns the body unparsed (CSV results). */
  request<T>(meter: Meter, what: string, request: HttpRequest, options: CallOptions & { text?: boolean } = {}): Promise<T> {
    const perCall = options.text ? { ...this.requestOptions, responseType: 'text/plain' } : this.requestOptions;
    return this.call(meter, what, (conn) => conn.request<T>(request, perCall), options);
  }

  async call<T>(meter: Meter, what: string, fn: (conn: Connection) => Promise<T>, options: CallOptions = {}): Promise<T> {
    if (options.checkBudget !== false) await this.ensureBudget(meter);
    const generation = this.generation;
    try {
      return await this.attempt(meter, fn);
    } catch (error) {
      if (!isInvalidSession(error)) throw classifySalesforceError(error, what);
    }
    await this.renewSession(generation);
    try {
      return await this.attempt(meter, fn);
    } catch (error) {
      throw classifySalesforceError(error, what);
    }
  }

  private async attempt<T>(meter: Meter, fn: (conn: Connection) => Promise<T>): Promise<T> {
    meter.calls += 1;
    try {
      return await fn(this.conn);
    } finally {
      this.observeLimitInfo();
    }
  }

  /** jsforce parses Sforce-Limit-Info into a fresh `limitInfo` object on each response that carries it. */
  private observeLimitInfo(): void {
    const info = this.conn.limitInfo;
    if (info === this.lastLimitInfo) return;
    this.lastLimitInfo = info;
    const usage = info?.apiUsage;
    if (usage) this.budget.observe(usage.used, usage.limit);
  }

  /** One renewal for all calls that saw the same expired session. */
  private async renewSession(seenGeneration: number): Promise<void> {
    if (this.generation !== seenGeneration) return;
    this.renewing ??= (async () => {
      try {
        const credentials = await this.auth.refresh();
        this.conn.accessToken = credentials.accessToken;
        if (!this.pinnedInstanceUrl && credentials.instanceUrl) this.conn.instanceUrl = credentials.instanceUrl;
        this.generation += 1;
      } finally {
        this.renewing = null;
      }
    })();
    await this.renewing;
  }

  /** Stops before a call once usage reached the budget; re-reads /limits when that observation is old. */
  private async ensureBudget(meter: Meter): Promise<void> {
    if (!this.budget.spent()) return;
    if (this.budget.stale()) {
      const limits = await this.request<LimitsBody>(meter, 'limits check', { method: 'GET', url: '/limits' }, { checkBudget: false });
      const daily = limits.DailyApiRequests;
      if (typeof daily?.Max === 'number' && typeof daily.Remaining === 'number') this.budget.observe(daily.Max - daily.Remaining, daily.Max);
      if (!this.budget.spent()) return;
    }
    throw this.budget.exhausted();
  }
}
