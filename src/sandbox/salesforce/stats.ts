import type { GrantCounts } from './oauth.ts';

/** What the sandbox saw, for tests and `GET /__sandbox/stats`. */
export interface SalesforceStats {
  /** API requests per endpoint, e.g. `PATCH /composite/sobjects/{type}/{field}`. */
  requests: Record<string, number>;
  /** API calls counted against the daily allocation. */
  apiCalls: number;
  /** 403 REQUEST_LIMIT_EXCEEDED answers (daily allocation spent or injected concurrency limit). */
  limitExceeded: number;
  /** 401 INVALID_SESSION_ID answers. */
  sessionsRejected: number;
  /** Calls answered with an injected 500 or whole-call UNABLE_TO_LOCK_ROW. */
  injectedFailures: number;
  /** Records per collections call, in arrival order. */
  collectionSizes: number[];
  /** Rows per closed Bulk API 2.0 job, in order. */
  bulkJobSizes: number[];
  tokenGrants: GrantCounts;
}

export function emptyStats(grants: GrantCounts): SalesforceStats {
  return { requests: {}, apiCalls: 0, limitExceeded: 0, sessionsRejected: 0, injectedFailures: 0, collectionSizes: [], bulkJobSizes: [], tokenGrants: grants };
}
