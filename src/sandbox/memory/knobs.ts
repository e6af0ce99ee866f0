/** Failure knobs of the memory sandbox, settable in-process or over HTTP (`POST /__sandbox/knobs`). */
export interface MemoryKnobs {
  /** Requests allowed per rolling window; 0 = unlimited. */
  requestsPerWindow: number;
  windowMs: number;
  /** Rows whose match value is listed here are rejected with the given message. */
  rejectKeys: Record<string, string>;
  /** The next N batch calls answer 429 with this Retry-After (ms). */
  rateLimitNext: number;
  retryAfterMs: number;
  /** The next N batch calls answer `failStatus` (500 by default). */
  failNext: number;
  failStatus: number;
  /** failNext's answers quote the batch's first item back, as APIs that echo a refused payload do. */
  failEchoesItem: boolean;
  /** Every batch call waits this long before answering (after applying), to provoke client timeouts. */
  delayMs: number;
  /** The next N batch calls apply their rows, then stall for stallMs (an ack lost in flight). */
  stallNext: number;
  stallMs: number;
}

export function defaultKnobs(): MemoryKnobs {
  return { requestsPerWindow: 0, windowMs: 1000, rejectKeys: {}, rateLimitNext: 0, retryAfterMs: 200, failNext: 0, failStatus: 500, failEchoesItem: false, delayMs: 0, stallNext: 0, stallMs: 5000 };
}
