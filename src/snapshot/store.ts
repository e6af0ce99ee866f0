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

/** How a sync's snapshot keys are to be compared, and how to recover a key as the model wrote it. */
export interface KeyCaseRequest {
  ignoreCase: boolean;
  /**
   * The key as the model wrote it, from a snapshot row's payload (a field mapped from the key column);
   * null if the payload has none. Only used to go back to exact keys.
   */
  keyInPayload(payloadJson: string): string | null;
  /** The holder of the sync's apply lock, which the caller must hold for the whole re-key. */
  lockHolder: string;
}

/** What `rekeySnapshot` did. */
export interface KeyCaseAdoption {
  /** The sync's state afterwards: the base for a plan. */
  state: SyncState;
  /** Snapshot rows whose key was rewritten. */
  rekeyed: number;
  /**
   * Keys held twice, in different case, and now once. They were one record in the destination (same
   * remote id, or one unknown): the row delivered last is kept, with the remote id either knew.
   */
  merged: number;
  /** Up to 5 of them, each as "kept / dropped". */
  mergedSamples: string[];
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
  /** Model rows taken; rows with a null key are counted in `nullKeys` instead. */
  rows: number;
  /** Of `rows`, those settled as unchanged by their row check, never written to staging. */
  unchanged: number;
  nullKeys: number;
  /** Distinct keys that appear more than once. */
  duplicateKeys: number;
  duplicateSamples: KeySample[];
}

/** Stages one run's model rows; `finish` reports key problems. */
export interface Stager {
  /** Records the snapshot held for this sync when staging began (read with its row checks). */
  readonly snapshotRows: number;
  /**
   * Settles the rows the snapshot already holds unchanged, by row check alone (core/row-check.ts;
   * `checks[i]` is the check of `keys[i]` with its row's payload): they are counted, never written.
   * Null keys are counted too. Returns the positions of the other rows, which the caller must `add`.
   * Optional for the caller: rows `add`ed without it are diffed exactly all the same, only slower.
   */
  skipUnchanged(keys: readonly (string | null)[], checks: ArrayLike<number>): number[];
  add(rows: readonly StagedRow[]): void;
  /**
   * Ends staging. When the keys are clean (no duplicates, no nulls), it also forgets the row errors
   * of keys that are neither in the model nor in the snapshot: those rows will never be proposed again.
   */
  finish(): StageSummary;
}

export interface DiffOptions {
  /** Yield delete candidates (keys in the snapshot but not in the model). */
  includeDeletes: boolean;
  /** Changes per yielded batch. */
  batchSize: number;
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
  /**
   * Rows about to be sent whose outcome stays unknown until an answer is recorded (creates that a second
   * sending could duplicate): recorded like failures, without counting an attempt, so a process killed
   * before the answer leaves a trace instead of nothing.
   */
  sending?: FailedRow[];
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
  /** Rows not delivered: rejected by the destination, or not sent because the run stopped early. */
  failed: number;
  /**
   * Of `failed`, the rows the destination answered and rejected (the failure-rate SLA judges these);
   * null on runs recorded before Ebb kept them apart.
   */
  rejected: number | null;
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

/** Changes a plan proposed that the destination has not acknowledged yet (the sync's backlog). */
export interface PendingSummary {
  count: number;
  /** When a plan first saw the oldest of them pending (ISO); null when nothing is pending. */
  oldestFirstSeenAt: string | null;
}

/** How a scheduled (or `ebb run`) cycle of plan + apply ended. */
export type CycleOutcome = 'succeeded' | 'partial' | 'failed' | 'blocked' | 'plan-failed';

export interface SyncHealth {
  sync: string;
  /** When the first cycle of this sync started. */
  trackedSince: string;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastOutcome: CycleOutcome | null;
  lastMessage: string | null;
  /** When the last successful cycle finished. */
  lastSuccessAt: string | null;
  consecutiveFailures: number;
}

export type AlertSeverity = 'ok' | 'warning' | 'critical';

/** The current state of one alert rule of one sync. */
export interface AlertState {
  sync: string;
  rule: string;
  severity: AlertSeverity;
  previousSeverity: AlertSeverity;
  message: string;
  changedAt: string;
  /** Identifies this change of state; the idempotency key of its notifications, the same on every retry. */
  transitionId: string;
  /** Channels that have not accepted the notification of this change yet. */
  undelivered: string[];
}

export interface SchedulerHeartbeat {
  /** host/pid/id of the `ebb schedule` process. */
  holder: string;
  startedAt: string;
  lastTickAt: string;
  tickMs: number;
}

export interface PruneResult {
  runs: number;
  rowErrors: number;
  alertStates: number;
  heartbeats: number;
}

/**
 * What the scheduler, SLAs and alerts keep next to the snapshot. Timestamps are passed in (ISO), so a
 * controllable clock drives them in tests.
 */
export interface OperationsStore {
  /**
   * Records the keys a plan found pending: new keys get `at` as first-seen time, keys still pending keep
   * theirs, keys no longer pending are forgotten. (commitBatch forgets delivered and deleted keys.)
   * The keys are streamed: a first sync's plan may hold millions.
   */
  trackPending(sync: string, keys: AsyncIterable<string> | Iterable<string>, at: string): Promise<PendingSummary>;
  pendingSummary(sync: string): Promise<PendingSummary>;

  recordCycleStarted(sync: string, at: string): Promise<void>;
  /** `succeeded` moves lastSuccessAt and zeroes consecutiveFailures; otherwise the count grows. */
  recordCycleFinished(cycle: { sync: string; at: string; outcome: CycleOutcome; message: string | null; succeeded: boolean }): Promise<void>;
  readHealth(sync: string): Promise<SyncHealth | null>;

  listAlertStates(): Promise<AlertState[]>;
  /**
   * Compare-and-set: writes `next` only when the rule's current transition id is `expectedTransitionId`
   * (null: no state yet). False when another process changed it first, so only one of them notifies.
   */
  changeAlertState(next: AlertState, expectedTransitionId: string | null): Promise<boolean>;
  /** Removes `channel` from the undelivered channels of that transition (no-op if the state moved on). */
  markAlertDelivered(sync: string, rule: string, transitionId: string, channel: string): Promise<void>;

  beat(heartbeat: SchedulerHeartbeat): Promise<void>;
  listHeartbeats(): Promise<SchedulerHeartbeat[]>;

  /**
   * Forgets history older than `before`: runs (always keeping each sync's latest run and latest
   * successful run), row errors last seen before it whose key is no longer pending, resolved and
   * delivered alert states, and heartbeats. The snapshot itself is never pruned.
   */
  prune(options: { before: string }): Promise<PruneResult>;
}

export interface SnapshotStore extends OperationsStore {
  /** The sync's state, created with a fresh lineage if it has none. */
  ensureState(sync: string): Promise<SyncState>;
  readState(sync: string): Promise<SyncState | null>;
  /** Whether the sync's snapshot keys are stored lower-cased (false for a sync with no state). */
  readKeysIgnoreCase(sync: string): Promise<boolean>;
  /**
   * Re-keys the sync's snapshot, pending changes and row errors the way `request` compares keys:
   * lower-cased, or back to the keys in their payloads. The serial moves first, so plans made before are
   * stale. Short transactions, the caller holding the sync's lock throughout (LockHeldError once it is
   * lost); idempotent, so one cut short by a crash is finished by the next. Throws KeyCaseError, the
   * comparison left unchanged, for keys that cannot be merged or restored.
   */
  rekeySnapshot(sync: string, request: KeyCaseRequest): Promise<KeyCaseAdoption>;
  /** Records in the sync's snapshot. */
  countRows(sync: string): Promise<number>;

  /** Starts staging a run's model rows for `sync` (replacing any earlier staging of it). */
  beginStaging(sync: string): Promise<Stager>;
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
  /** Current row errors (keys not delivered since they failed), of one `code` when given. */
  listRowErrors(options: { sync: string; limit: number; code?: string }): Promise<RowErrorRecord[]>;
  countRowErrors(sync: string): Promise<number>;

  /** Starts a new lineage for the sync and forgets its snapshot rows and errors. */
  reset(sync: string): Promise<SyncState>;
  close(): Promise<void>;
}
