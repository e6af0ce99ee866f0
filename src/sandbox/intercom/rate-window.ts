/**
 * Intercom's rate limit: a request budget per fixed window (10 s in production). Every answered
 * request carries `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds of the window's end).
 */
export class RateWindow {
  private windowStart = 0;
  private used = 0;

  constructor(
    public limit: number,
    public windowMs: number,
  ) {}

  /** Counts one request; false when the window's budget is spent. */
  take(nowMs: number = Date.now()): boolean {
    this.roll(nowMs);
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  headers(nowMs: number = Date.now()): Record<string, string> {
    this.roll(nowMs);
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(Math.ceil(this.resetsAtMs() / 1000)),
    };
  }

  /** Milliseconds until the current window ends. */
  msUntilReset(nowMs: number = Date.now()): number {
    this.roll(nowMs);
    return Math.max(0, this.resetsAtMs() - nowMs);
  }

  reconfigure(limit: number, windowMs: number): void {
    this.limit = limit;
    this.windowMs = windowMs;
    this.windowStart = 0;
    this.used = 0;
  }

  private resetsAtMs(): number {
    return this.windowStart + this.windowMs;
  }

  private roll(nowMs: number): void {
    if (nowMs >= this.windowStart + this.windowMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
  }
}
