/** A per-record error as Salesforce reports it inside a collections result. */
export interface SalesforceRecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/**
 * Failure knobs and limits of the Salesforce sandbox, settable in-process (`sandbox.knobs.x = …`) or
 * over HTTP (`POST /__sandbox/knobs` with a partial object). Row keys are External ID values or Ids.
 */
export interface SalesforceKnobs {
  /** The org's rolling 24 h API request allocation; once used up every call gets 403 REQUEST_LIMIT_EXCEEDED. */
  dailyAllocation: number;
  /** A token stops working after this many API calls (401 INVALID_SESSION_ID); null = never. */
  tokenTtlQueries: number | null;
  /** One-shot: when a request to this endpoint (a stats label, e.g. `PUT /jobs/ingest/{id}/batches`) arrives, every session expires first. */
  expireSessionsAt: string | null;
  /** Every API call is refused with 401 INVALID_SESSION_ID, fresh tokens included. */
  rejectAllSessions: boolean;
  /** The next N API calls answer 500 UNKNOWN_EXCEPTION. */
  failNextCalls: number;
  /** The next N API calls answer 403 REQUEST_LIMIT_EXCEEDED for concurrent long-running requests. */
  concurrencyLimitNextCalls: number;
  /** The next N API calls answer 400 UNABLE_TO_LOCK_ROW for the whole call. */
  lockNextCalls: number;
  /** Each of these rows fails once with UNABLE_TO_LOCK_ROW (then the key is forgotten, as a lock clears). */
  lockRowKeys: string[];
  /** These rows are rejected with the given error every time they are written. */
  rejectRowKeys: Record<string, SalesforceRecordError>;
  /** Every API call waits this long after doing its work, before answering (an ack lost to a client timeout). */
  delayMs: number;
  /** GETs of a closed bulk job before it reports its final state. */
  bulkPollsBeforeComplete: number;
  /** A bulk job processes at most this many rows, then ends Aborted with the rest unprocessed; null = all. */
  bulkProcessLimit: number | null;
  /** The next bulk job ends Failed with this message, processing nothing. */
  bulkFailNextJob: string | null;
  /** successfulResults silently leaves out its first N rows (simulates results lost on the way). */
  bulkDropResultRows: number;
  /** Result files list rows in a shuffled order (Salesforce does not promise input order) or in input order. */
  bulkResultOrder: 'shuffled' | 'input';
}

export function defaultKnobs(): SalesforceKnobs {
  return {
    dailyAllocation: 100_000,
    tokenTtlQueries: null,
    expireSessionsAt: null,
    rejectAllSessions: false,
    failNextCalls: 0,
    concurrencyLimitNextCalls: 0,
    lockNextCalls: 0,
    lockRowKeys: [],
    rejectRowKeys: {},
    delayMs: 0,
    bulkPollsBeforeComplete: 2,
    bulkProcessLimit: null,
    bulkFailNextJob: null,
    bulkDropResultRows: 0,
    bulkResultOrder: 'shuffled',
  };
}
