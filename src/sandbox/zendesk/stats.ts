import type { ZendeskObject } from './store.ts';

/** What the sandbox saw, so tests can prove pacing, batching and the absence of duplicates. */
export interface ZendeskSandboxStats {
  /** Requests per endpoint, e.g. `POST users/create_or_update_many`. */
  requests: Record<string, number>;
  rateLimited: number;
  serverErrors: number;
  unauthorized: number;
  /** Rows per bulk call, per endpoint. */
  batchSizes: Record<string, number[]>;
  jobsCreated: number;
  jobPolls: number;
  /** Most jobs queued or running at the same moment. */
  maxOutstandingJobs: number;
  /** How many times a record with this external_id was created, per object. */
  createsPerKey: Record<ZendeskObject, Record<string, number>>;
  /** Attributes and custom field keys that were sent but do not exist (Zendesk ignores them silently). */
  ignoredFields: string[];
}

export function emptyStats(): ZendeskSandboxStats {
  return {
    requests: {},
    rateLimited: 0,
    serverErrors: 0,
    unauthorized: 0,
    batchSizes: {},
    jobsCreated: 0,
    jobPolls: 0,
    maxOutstandingJobs: 0,
    createsPerKey: { users: {}, organizations: {} },
    ignoredFields: [],
  };
}

export function countRequest(stats: ZendeskSandboxStats, endpoint: string): void {
  stats.requests[endpoint] = (stats.requests[endpoint] ?? 0) + 1;
}

export function recordBatchSize(stats: ZendeskSandboxStats, endpoint: string, size: number): void {
  (stats.batchSizes[endpoint] ??= []).push(size);
}
