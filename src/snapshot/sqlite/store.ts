import { count, eq } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type {
  AlertState,
  CommitBatch,
  CycleOutcome,
  DiffOptions,
  KeyCaseAdoption,
  KeyCaseRequest,
  LockRequest,
  LockResult,
  PendingSummary,
  PruneResult,
  RowErrorRecord,
  RunRecord,
  SchedulerHeartbeat,
  SnapshotStore,
  Stager,
  SyncHealth,
  SyncState,
} from '../store.ts';
import { AlertStateTable } from './alert-states.ts';
import { BatchCommitter } from './commit.ts';
import { openSnapshotDb, type SnapshotDb } from './connection.ts';
import { diffStaging } from './diff.ts';
import { HealthRecorder } from './health.ts';
import { readKeysIgnoreCase, rekeySnapshot } from './key-case.ts';
import * as locks from './lock.ts';
import { PendingTracker } from './pending.ts';
import { pruneHistory } from './retention.ts';
import * as history from './runs.ts';
import { snapshotRows } from './schema.ts';
import { StagingTables } from './staging.ts';
import { asStorageFailure, guardStorage } from './storage-failure.ts';
import * as state from './state.ts';

export interface SqliteStoreOptions {
  /**
   * The most snapshot rows of a sync whose row checks a plan holds in memory (7.5 bytes each). Rows
   * past it are planned through staging: exactly, only slower.
   */
  checksInMemory?: number;
}

/**
 * 12M rows: 90 MB at most, so memory stays bounded whatever the size of a sync. A 10M-row sync fits
 * whole: its plan took 38–40 s where a cap of 8M, staging the other 2M, took 54–59 s.
 */
const DEFAULT_CHECKS_IN_MEMORY = 12_000_000;

/**
 * SnapshotStore over one SQLite file and one connection. better-sqlite3 is synchronous, so every
 * method does its work before its promise settles; several stores (processes) may share the file.
 * A full disk, a read-only or damaged file fails any method with a LocalStorageError saying so.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly staging: StagingTables;
  private readonly committer: BatchCommitter;
  private readonly pending: PendingTracker;
  private readonly health: HealthRecorder;
  private readonly alerts: AlertStateTable;

  constructor(
    private readonly db: SnapshotDb,
    private readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.staging = new StagingTables(db.$client, options.checksInMemory ?? DEFAULT_CHECKS_IN_MEMORY);
    this.committer = new BatchCommitter(db.$client);
    this.pending = new PendingTracker(db.$client);
    this.health = new HealthRecorder(db.$client);
    this.alerts = new AlertStateTable(db.$client);
  }

  async ensureState(sync: string): Promise<SyncState> {
    return this.guard("set up the sync's state", () => state.ensureState(this.db, sync));
  }

  async readKeysIgnoreCase(sync: string): Promise<boolean> {
    return this.guard("read the sync's state", () => readKeysIgnoreCase(this.db, sync));
  }

  async rekeySnapshot(sync: string, request: KeyCaseRequest): Promise<KeyCaseAdoption> {
    return this.guard("re-key the sync's snapshot", () => rekeySnapshot(this.db, sync, request));
  }

  async readState(sync: string): Promise<SyncState | null> {
    return this.guard("read the sync's state", () => state.readState(this.db, sync));
  }

  /** When a commit last delivered or deleted a record of the sync (ISO), for freshness checks. */
  async lastDeliveredAt(sync: string): Promise<string | null> {
    return this.guard("read the sync's state", () => state.readLastDeliveredAt(this.db, sync));
  }

  async countRows(sync: string): Promise<number> {
    return this.guard("count the snapshot's rows", () => this.db.select({ n: count() }).from(snapshotRows).where(eq(snapshotRows.sync, sync)).get()?.n ?? 0);
  }

  async beginStaging(sync: string): Promise<Stager> {
    const guard = <T>(work: () => T) => guardStorage(this.path, 'stage the model', work, true);
    const stager = guard(() => this.staging.begin(sync));
    return {
      snapshotRows: stager.snapshotRows,
      skipUnchanged: (keys, checks) => guard(() => stager.skipUnchanged(keys, checks)),
      add: (rows) => guard(() => stager.add(rows)),
      finish: () => guard(() => stager.finish()),
    };
  }

  async *diff(sync: string, options: DiffOptions): AsyncIterable<Change[]> {
    try {
      yield* diffStaging(this.db.$client, this.staging, sync, options);
    } catch (error) {
      throw asStorageFailure(error, this.path, 'diff the model against the snapshot', true);
    }
  }

  async dropStaging(sync: string): Promise<void> {
    guardStorage(this.path, "clear the plan's staging", () => this.staging.drop(sync), true);
  }

  async commitBatch(batch: CommitBatch): Promise<number> {
    return this.guard('record a delivered batch in the snapshot', () => this.committer.commit(batch));
  }

  async acquireLock(request: LockRequest): Promise<LockResult> {
    return this.guard("take the sync's lock", () => locks.acquireLock(this.db, request));
  }

  async refreshLock(sync: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.guard("refresh the sync's lock", () => locks.refreshLock(this.db, sync, holder, ttlMs));
  }

  async releaseLock(sync: string, holder: string): Promise<void> {
    this.guard("release the sync's lock", () => locks.releaseLock(this.db, sync, holder));
  }

  async startRun(run: Pick<RunRecord, 'id' | 'sync' | 'kind' | 'startedAt' | 'planned'>): Promise<void> {
    this.guard("record the run's start", () => history.startRun(this.db, run));
  }

  async finishRun(run: Omit<RunRecord, 'sync' | 'kind' | 'startedAt'>): Promise<void> {
    this.guard("record the run's result", () => history.finishRun(this.db, run));
  }

  async listRuns(options: { sync?: string; limit: number }): Promise<RunRecord[]> {
    return this.guard('read the run history', () => history.listRuns(this.db, options));
  }

  async listRowErrors(options: { sync: string; limit: number; code?: string }): Promise<RowErrorRecord[]> {
    return this.guard('read the row errors', () => history.listRowErrors(this.db, options));
  }

  async countRowErrors(sync: string): Promise<number> {
    return this.guard('count the row errors', () => history.countRowErrors(this.db, sync));
  }

  async trackPending(sync: string, keys: AsyncIterable<string> | Iterable<string>, at: string): Promise<PendingSummary> {
    return this.guard('record the pending changes', () => this.pending.track(sync, keys, at));
  }

  async pendingSummary(sync: string): Promise<PendingSummary> {
    return this.guard('read the pending changes', () => this.pending.read(sync));
  }

  async recordCycleStarted(sync: string, at: string): Promise<void> {
    this.guard("record the sync's health", () => this.health.recordStarted(sync, at));
  }

  async recordCycleFinished(cycle: { sync: string; at: string; outcome: CycleOutcome; message: string | null; succeeded: boolean }): Promise<void> {
    this.guard("record the sync's health", () => this.health.recordFinished(cycle));
  }

  async readHealth(sync: string): Promise<SyncHealth | null> {
    return this.guard("read the sync's health", () => this.health.get(sync));
  }

  async listAlertStates(): Promise<AlertState[]> {
    return this.guard('read the alert states', () => this.alerts.all());
  }

  async changeAlertState(next: AlertState, expectedTransitionId: string | null): Promise<boolean> {
    return this.guard('record an alert', () => this.alerts.change(next, expectedTransitionId));
  }

  async markAlertDelivered(sync: string, rule: string, transitionId: string, channel: string): Promise<void> {
    this.guard('record an alert', () => this.alerts.delivered(sync, rule, transitionId, channel));
  }

  async beat(heartbeat: SchedulerHeartbeat): Promise<void> {
    this.guard("record the scheduler's heartbeat", () => this.alerts.beat(heartbeat));
  }

  async listHeartbeats(): Promise<SchedulerHeartbeat[]> {
    return this.guard('read the scheduler heartbeats', () => this.alerts.listHeartbeats());
  }

  async prune(options: { before: string }): Promise<PruneResult> {
    return this.guard('prune the history', () => pruneHistory(this.db.$client, options.before));
  }

  async reset(sync: string): Promise<SyncState> {
    return this.guard('reset the sync', () => state.resetState(this.db, sync));
  }

  async close(): Promise<void> {
    if (this.db.$client.open) this.db.$client.close();
  }

  private guard<T>(doing: string, work: () => T): T {
    return guardStorage(this.path, doing, work);
  }
}

/** Opens the snapshot file at `path` (creating it and its directories), migrated and ready. */
export function openSqliteSnapshotStore(path: string, options: SqliteStoreOptions = {}): SqliteSnapshotStore {
  return new SqliteSnapshotStore(
    guardStorage(path, 'open the snapshot', () => openSnapshotDb(path)),
    path,
    options,
  );
}
