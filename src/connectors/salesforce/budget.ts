import { QuotaExhaustedError } from '../../core/errors.ts';

/** The org's API usage over the rolling 24 h, as the last `Sforce-Limit-Info: api-usage=N/M` said. */
export interface UsageObservation {
  used: number;
  limit: number;
  atMs: number;
}

/**
 * Usage is per org, whichever connection or sync observed it, so it lives in one process-wide map
 * keyed by instance URL: once one sync spends the budget, the others stop before calling too.
 */
const observations = new Map<string, UsageObservation>();

export const LIMIT_INFO = /api-usage=(\d+)\/(\d+)/;

export class OrgBudget {
  constructor(
    private readonly org: () => string,
    private readonly percent: number,
    private readonly recheckMs: number,
  ) {}

  observe(used: number, limit: number): void {
    observations.set(this.org(), { used, limit, atMs: Date.now() });
  }

  latest(): UsageObservation | undefined {
    return observations.get(this.org());
  }

  /** Calls this connection may still make under its share of the allocation. */
  ceiling(limit: number): number {
    return Math.floor((limit * this.percent) / 100);
  }

  spent(): boolean {
    const seen = this.latest();
    return seen !== undefined && seen.used >= this.ceiling(seen.limit);
  }

  /** A spent budget is worth re-checking once usage may have rolled off. */
  stale(): boolean {
    const seen = this.latest();
    return seen !== undefined && Date.now() - seen.atMs >= this.recheckMs;
  }

  exhausted(): QuotaExhaustedError {
    const seen = this.latest()!;
    const share = ((seen.used / seen.limit) * 100).toFixed(1);
    return new QuotaExhaustedError(
      `Salesforce API budget reached: ${seen.used.toLocaleString('en-US')} of the org's ${seen.limit.toLocaleString('en-US')} daily API requests are used (${share}%), ` +
        `at or above this connection's ${this.percent}% share (dailyBudgetPercent). Nothing more is sent this run; the remaining rows stay pending ` +
        `and go out on a later run as usage rolls off the 24-hour window. Raise dailyBudgetPercent to let Ebb use more of the allocation.`,
      { code: 'SALESFORCE_DAILY_BUDGET' },
    );
  }
}
