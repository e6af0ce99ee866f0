/**
 * Behaviour of the Zendesk sandbox that tests and demos change at runtime, in-process
 * (`sandbox.knobs.x = …`) or over HTTP (`POST /__sandbox/knobs` with a partial JSON object).
 */
export interface ZendeskKnobs {
  /** Requests allowed per window (Zendesk plans: 200 / 400 / 700 / 2500 per minute); 0 = unlimited. */
  requestsPerMinute: number;
  /** Length of the rate-limit window; 60 000 like Zendesk, smaller in tests. */
  windowMs: number;
  /** Job status polls until a job completes; 0 = the creating call already answers `completed`. */
  pollsToComplete: number;
  /** Queued-or-running jobs allowed per account before job-creating calls get 429 (Zendesk: about 30). */
  maxQueuedJobs: number;
  /** Rows whose external_id is listed here fail inside their job (`status: Failed`). */
  failExternalIds: string[];
  /** The next N jobs end with this job status instead of `completed`, applying nothing. */
  failNextJobs: number;
  failJobStatus: 'failed' | 'killed';
  /**
   * Finished jobs skip the rows at these request positions (0-based): nothing is written for them and
   * `results[]` has no entry for them, so it is shorter than the rows sent.
   */
  jobSkipRows: number[];
  /** The next N API calls answer `failStatus` (500, 502, 503, …) without doing anything. */
  failNext: number;
  failStatus: number;
  /** The next N API calls answer 429; with `Retry-After: retryAfterSec` unless `omitRetryAfter`. */
  rateLimitNext: number;
  retryAfterSec: number;
  omitRetryAfter: boolean;
  /** Every API call waits this long before answering, to provoke client timeouts. */
  delayMs: number;
}

export function defaultZendeskKnobs(): ZendeskKnobs {
  return {
    requestsPerMinute: 200,
    windowMs: 60_000,
    pollsToComplete: 1,
    maxQueuedJobs: 30,
    failExternalIds: [],
    failNextJobs: 0,
    failJobStatus: 'failed',
    jobSkipRows: [],
    failNext: 0,
    failStatus: 500,
    rateLimitNext: 0,
    retryAfterSec: 1,
    omitRetryAfter: false,
    delayMs: 0,
  };
}
