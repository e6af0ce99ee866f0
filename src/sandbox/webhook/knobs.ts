/** Receiver behaviour settable at runtime, in-process or with `POST /__sandbox/knobs`. */
export interface WebhookKnobs {
  /** Accepted clock skew for `Ebb-Timestamp`, in seconds. */
  toleranceSec: number;
  /** The next N calls apply their changes, then hold the answer for `stallMs` (an ack lost to the sender's timeout). */
  stallNext: number;
  stallMs: number;
  /** The next N calls answer `failStatus` before applying anything. */
  failNext: number;
  failStatus: number;
  /** The next N calls answer 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext: number;
  retryAfterSec: number;
  /** The next N calls answer `rejectStatus` (a 4xx) with `rejectMessage`, applying nothing. */
  rejectNext: number;
  rejectStatus: number;
  rejectMessage: string;
  /** Changes whose key is listed are answered `failed` with the given message. */
  rejectKeys: Record<string, string>;
  /** Fields every non-delete change must carry with a non-null value, else that change is `failed` (a receiver's own validation). */
  requiredFields: string[];
}

export function defaultWebhookKnobs(): WebhookKnobs {
  return {
    toleranceSec: 300,
    stallNext: 0,
    stallMs: 5000,
    failNext: 0,
    failStatus: 500,
    rateLimitNext: 0,
    retryAfterSec: 1,
    rejectNext: 0,
    rejectStatus: 422,
    rejectMessage: 'payload rejected by the receiver (sandbox rejectNext)',
    rejectKeys: {},
    requiredFields: [],
  };
}
