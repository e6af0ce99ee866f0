import type { DuckDBInstance } from '@duckdb/node-api';
import type { TypeOverride } from './types.ts';
import type { SessionStore } from './sessions.ts';
import type { StoredResult } from './results.ts';

export interface EmulatorUser {
  /** Login name; matched case-insensitively, as Snowflake does for unquoted user names. */
  name: string;
  password?: string;
  /** PEM (SPKI) public key for key-pair login, as registered with `ALTER USER … SET RSA_PUBLIC_KEY`. */
  publicKeyPem?: string;
  /** An OAuth access token accepted for this user. */
  oauthToken?: string;
}

export interface EmulatorOptions {
  /** Account name the driver must send (default `testaccount`). */
  account?: string;
  users?: EmulatorUser[];
  database?: string;
  schema?: string;
  warehouse?: string;
  role?: string;
  /** Rows answered inline in the query response; the rest go to chunks (default 1000). */
  inlineRowLimit?: number;
  /** Rows per downloadable chunk (default 10 000). */
  chunkRowCount?: number;
  typeOverrides?: Record<string, TypeOverride>;
  /** How long the query-request waits for the query before answering 333333 (default 2000 ms). */
  queryHoldMs?: number;
  /** How long a GET of the result URL long-polls before answering 333333 again (default 2000 ms). */
  resultHoldMs?: number;
}

/** Behaviour tests switch on and off while the emulator runs. */
export interface EmulatorKnobs {
  /** A session token answers this many query-requests (at least 1), then the next one gets 390112 (session expired). */
  expireSessionAfterQueries?: number;
  /** Every query takes at least this long (drives the 333333 path and statement timeouts). */
  slowQueryMs?: number;
  /**
   * Every chunk body leaves out its last this-many rows while the query response still announces
   * them (in `returned`, `total` and the chunk's `rowCount`): a result that promises more rows than
   * its chunks hold, which the driver streams without complaint.
   */
  rowsMissingPerChunk?: number;
}

export interface EmulatorCounters {
  logins: number;
  failedLogins: number;
  renewals: number;
  queryRequests: number;
  /** Queries actually run in DuckDB; a replayed requestId does not count. */
  executions: number;
  replays: number;
  inProgressReplies: number;
  resultPolls: number;
  chunkDownloads: number;
  heartbeats: number;
  sessionsClosed: number;
  cancels: number;
}

export interface QueryRecord {
  sql: string;
  requestId: string;
  queryId: string;
  user: string;
  sessionId: number;
  queryTag: string | undefined;
  /** Statement-level parameters as sent in the query-request body. */
  parameters: Record<string, unknown>;
  describeOnly: boolean;
}

export type FailureEndpoint = 'login' | 'query' | 'result' | 'chunk' | 'token';

/**
 * One forced failure, consumed by the next `times` requests to `endpoint`. With `afterHandling`
 * the request is served first and only its answer is lost (HTTP status or dropped socket), which is
 * what makes the driver re-send a request the server already ran.
 */
export type ForcedFailure = { endpoint: FailureEndpoint; times?: number } & (
  | { status: number; afterHandling?: boolean }
  | { error: { code: string; message: string; sqlState?: string } }
  | { drop: true; afterHandling?: boolean }
  | { chunkBody: ChunkBodyFault }
);

/**
 * A chunk download that starts as a 200 and then goes wrong (`chunk` endpoint only):
 * - `drop-mid-body`: half the gzip body is sent, then the connection drops (S3 resetting a socket);
 * - `corrupt-gzip`: the body is complete but damaged in the middle of the compressed data;
 * - `half-gzip`: a complete exchange whose body is half a gzip stream. The driver's HTTP client
 *   inflates it without an error, its JSON.parse of the partial rows throws inside a callback that
 *   swallows it, and the row stream then waits for ever: only the read's own deadline ends it.
 */
export type ChunkBodyFault = 'drop-mid-body' | 'corrupt-gzip' | 'half-gzip';

export interface EmulatorState {
  account: string;
  context: { database: string; schema: string; warehouse: string; role: string };
  users: Map<string, EmulatorUser>;
  duckdb: DuckDBInstance;
  sessions: SessionStore;
  /** Results by queryId, for chunk downloads (which carry no session token). */
  results: Map<string, StoredResult>;
  knobs: EmulatorKnobs;
  counters: EmulatorCounters;
  queries: QueryRecord[];
  failures: ForcedFailure[];
  settings: Required<Pick<EmulatorOptions, 'inlineRowLimit' | 'chunkRowCount' | 'queryHoldMs' | 'resultHoldMs'>> & {
    typeOverrides: Record<string, TypeOverride>;
  };
  baseUrl: string;
}

export function newCounters(): EmulatorCounters {
  return {
    logins: 0, failedLogins: 0, renewals: 0, queryRequests: 0, executions: 0, replays: 0, inProgressReplies: 0,
    resultPolls: 0, chunkDownloads: 0, heartbeats: 0, sessionsClosed: 0, cancels: 0,
  };
}

/** Takes the next forced failure for an endpoint, if one is queued. */
export function takeFailure(state: EmulatorState, endpoint: FailureEndpoint): ForcedFailure | undefined {
  const index = state.failures.findIndex((failure) => failure.endpoint === endpoint);
  if (index < 0) return undefined;
  const failure = state.failures[index]!;
  const remaining = (failure.times ?? 1) - 1;
  if (remaining <= 0) state.failures.splice(index, 1);
  else failure.times = remaining;
  return failure;
}
