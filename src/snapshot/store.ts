import type { Change, ChangeAction } from '../core/change.ts';
import type { RowError } from '../core/errors.ts';
import type { Row } from '../core/values.ts';

/**
 * What Ebb believes each destination holds: only what the destination acknowledged. One interface,
 * SQLite behind it (snapshot/sqlite/), Postgres later. Every write that changes the snapshot checks
 * lineage and serial inside its transaction (compare-and-set), so a stale plan can never commit.
 */

export interface SyncState {
  sync: string;
  /** New UUID when the sync's snapshot is first made or reset. */
  lineage: string;
  /** Bumped by every committed write to the sync's snapshot. */
  serial: number;
  /** Definition hash of the sync as last applied (null before the first apply). */
  definitionHash: string | null;
}

export interface StagedRow {
  /** Row key as a string; null when the model's key column was null (reported, never staged). */
  key: string | null;
  fingerprint: string;
  /** Canonical JSON of the mapped payload (the same text the fingerprint hashes). */
  payloadJson: string;
}

export interface KeySample {
  key: string;
  occurrences: number;
}

export interface StageSummary {
  rows: number;
  nullKeys: number;
  /** Distinct keys that appear more than once. */
  duplicateKeys: number;
  duplicateSamples: KeySample[];
}

/** Stages one run's model rows; `finish` reports key problems. */
export interface Stager {
  add(rows: readonly StagedRow[]): void;
  finish(): StageSummary;
}

export interface DiffOptions {
  /** Yield delete candidates (keys in the snapshot but not in the model). */
  includeDeletes: boolean;
  /** Changes per yielded batch. */
  batchSize: number;
}

export interface DiffCounts {
  create: number;
  update: number;
  delete: number;
}

export interface DeliveredRow {
  key: string;
  fingerprint: string;
  payload: Row;
  remoteId: string | null;
}

export interface FailedRow {
  key: string;
  action: ChangeAction;
  error: RowError;
}

export interface CommitBatch {
  sync: string;
  runId: string;
  /** The base the executor expects; the commit is refused (StalePlanError) if the store moved on. */
  lineage: string;
  expectedSerial: number;
  /** Definition hash being applied; stored as the sync's applied definition. */
  definitionHash: string;
  delivered: DeliveredRow[];
  /** Keys whose records the destination acknowledged deleting. */
  deleted: string[];
  failed: FailedRow[];
}

export interface RunRecord {
  id: string;
  sync: string;
  kind: 'plan' | 'apply';
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  planned: number;
  delivered: number;
  failed: number;
  apiCalls: number;
  rateLimited: number;
  message: string | null;
}

export interface RowErrorRecord {
  sync: string;
  key: string;
  action: ChangeAction;
  code: string;
  message: string;
  field: string | null;
  attempts: number;
  runId: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface LockRequest {
  sync: string;
  holder: string;
  ttlMs: number;
  /** Lets the caller take over a lock whose holder is known to be dead (same host, process gone). */
  holderIsDead?: (holder: string) => boolean;
}

export type LockResult = { acquired: true } | { acquired: false; holder: string; expiresAt: string };

export interface SnapshotStore {
  /** The sync's state, created with a fresh lineage if it has none. */
  ensureState(sync: string): Promise<SyncState>;
  readState(sync: string): Promise<SyncState | null>;
  /** Records in the sync's snapshot. */
  countRows(sync: string): Promise<number>;

  /** Starts staging a run's model rows for `sync` (replacing any earlier staging of it). */
  beginStaging(sync: string): Promise<Stager>;
  /** Counts of what the staged rows would change, without materialising the changes. */
  diffCounts(sync: string): Promise<DiffCounts>;
  /** Changes between the staged rows and the snapshot, streamed in batches. */
  diff(sync: string, options: DiffOptions): AsyncIterable<Change[]>;
  /** Frees the staging of `sync`. */
  dropStaging(sync: string): Promise<void>;

  /**
   * In one transaction: check lineage and serial, upsert delivered rows, remove deleted ones, record
   * failed rows (attempts counted per key), clear the errors of delivered/deleted keys, bump the serial.
   * Returns the new serial. Throws StalePlanError when lineage or serial moved.
   */
  commitBatch(batch: CommitBatch): Promise<number>;

  acquireLock(request: LockRequest): Promise<LockResult>;
  /** Extends a held lock; false when it is no longer ours. */
  refreshLock(sync: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLock(sync: string, holder: string): Promise<void>;

  startRun(run: Pick<RunRecord, 'id' | 'sync' | 'kind' | 'startedAt' | 'planned'>): Promise<void>;
  finishRun(run: Omit<RunRecord, 'sync' | 'kind' | 'startedAt'>): Promise<void>;
  listRuns(options: { sync?: string; limit: number }): Promise<RunRecord[]>;
  /** Current row errors (keys not delivered since they failed). */
  listRowErrors(options: { sync: string; limit: number }): Promise<RowErrorRecord[]>;
  countRowErrors(sync: string): Promise<number>;

  /** Starts a new lineage for the sync and forgets its snapshot rows and errors. */
  reset(sync: string): Promise<SyncState>;
  close(): Promise<void>;
}
