import type { RateLimitPolicy } from './error-bodies.ts';

export interface LimitSettings {
  requestsPer10s: number;
  windowMs: number;
  dailyLimit: number;
}

export interface LimitDecision {
  /** Null when the request may proceed. */
  refused: RateLimitPolicy | null;
  /** The X-HubSpot-RateLimit-* headers to send with the response. */
  headers: Record<string, string>;
}

/**
 * HubSpot's per-token limits: a ROLLING window (requests in the last `windowMs`, not a fixed bucket
 * that resets on the boundary) and a daily counter. Refused requests do not count.
 */
export class TokenLimits {
  private readonly recent = new Map<string, number[]>();
  private readonly dailyUsed = new Map<string, number>();

  constructor(private readonly settings: () => LimitSettings) {}

  admit(token: string, now: number = Date.now()): LimitDecision {
    const { requestsPer10s, windowMs, dailyLimit } = this.settings();
    const inWindow = (this.recent.get(token) ?? []).filter((at) => at > now - windowMs);
    this.recent.set(token, inWindow);
    const used = this.dailyUsed.get(token) ?? 0;
    let refused: RateLimitPolicy | null = null;
    if (used >= dailyLimit) refused = 'DAILY';
    else if (inWindow.length >= requestsPer10s) refused = 'TEN_SECONDLY_ROLLING';
    if (refused === null) {
      inWindow.push(now);
      this.dailyUsed.set(token, used + 1);
    }
    const dailyNow = this.dailyUsed.get(token) ?? 0;
    return {
      refused,
      headers: {
        'X-HubSpot-RateLimit-Max': String(requestsPer10s),
        'X-HubSpot-RateLimit-Remaining': String(Math.max(0, requestsPer10s - inWindow.length)),
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
        'X-HubSpot-RateLimit-Daily': String(dailyLimit),
        'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyLimit - dailyNow)),
      },
    };
  }

  reset(): void {
    this.recent.clear();
    this.dailyUsed.clear();
  }
}
