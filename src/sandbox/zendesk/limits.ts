import type { ZendeskKnobs } from './knobs.ts';

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Whole seconds until the window resets, as Zendesk's `Retry-After`. */
  retryAfterSec: number;
}

/**
 * Zendesk's account-wide per-minute limit as a fixed window: every API call counts (job polls
 * included), and every response carries `X-Rate-Limit` and `X-Rate-Limit-Remaining`.
 */
export class RateWindow {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly knobs: ZendeskKnobs) {}

  take(now: number = Date.now()): RateDecision {
    const limit = this.knobs.requestsPerMinute;
    if (now - this.windowStart >= this.knobs.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const retryAfterSec = Math.max(1, Math.ceil((this.windowStart + this.knobs.windowMs - now) / 1000));
    if (limit <= 0) return { allowed: true, headers: {}, retryAfterSec };
    const allowed = this.used < limit;
    if (allowed) this.used += 1;
    return {
      allowed,
      retryAfterSec,
      headers: { 'x-rate-limit': String(limit), 'x-rate-limit-remaining': String(Math.max(0, limit - this.used)) },
    };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}
