import { count, eq } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type {
  AlertState,
  CommitBatch,
  CycleOutcome,
  DiffOptions,
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
import * as locks from './lock.ts';
import { PendingTracker } from './pending.ts';
import { pruneHistory } from './retention.ts';
import * as history from './runs.ts';
import { snapshotRows } from './schema.ts';
import { StagingTables } from './staging.ts';
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
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly staging: StagingTables;
  private readonly committer: BatchCommitter;
  private readonly pending: PendingTracker;
  private readonly health: HealthRecorder;
  private readonly alerts: AlertStateTable;

  constructor(
    private readonly db: SnapshotDb,
    options: SqliteStoreOptions = {},
  ) {
    this.staging = new StagingTables(db.$client, options.checksInMemory ?? DEFAULT_CHECKS_IN_MEMORY);
    this.committer = new BatchCommitter(db.$client);
    this.pending = new PendingTracker(db.$client);
    this.health = new HealthRecorder(db.$client);
    this.alerts = new AlertStateTable(db.$client);
  }

  async ensureState(sync: string): Promise<SyncState> {
    return state.ensureState(this.db, sync);
  }

  async readState(sync: string): Promise<SyncState | null> {
    return state.readState(this.db, sync);
  }

  /** When a commit last delivered or deleted a record of the sync (ISO), for freshness checks. */
  async lastDeliveredAt(sync: string): Promise<string | null> {
    return state.readLastDeliveredAt(this.db, sync);
  }

  async countRows(sync: string): Promise<number> {
    return this.db.select({ n: count() }).from(snapshotRows).where(eq(snapshotRows.sync, sync)).get()?.n ?? 0;
  }

  async beginStaging(sync: string): Promise<Stager> {
    return this.staging.begin(sync);
  }

  diff(sync: string, options: DiffOptions): AsyncIterable<Change[]> {
    return diffStaging(this.db.$client, this.staging, sync, options);
  }

  async dropStaging(sync: string): Promise<void> {
    this.staging.drop(sync);
  }

  async commitBatch(batch: CommitBatch): Promise<number> {
    return this.committer.commit(batch);
  }

  async acquireLock(request: LockRequest): Promise<LockResult> {
    return locks.acquireLock(this.db, request);
  }

  async refreshLock(sync: string, holder: string, ttlMs: number): Promise<boolean> {
    return locks.refreshLock(this.db, sync, holder, ttlMs);
  }

  async releaseLock(sync: string, holder: string): Promise<void> {
    locks.releaseLock(this.db, sync, holder);
  }

  async startRun(run: Pick<RunRecord, 'id' | 'sync' | 'kind' | 'startedAt' | 'planned'>): Promise<void> {
    history.startRun(this.db, run);
  }

  async finishRun(run: Omit<RunRecord, 'sync' | 'kind' | 'startedAt'>): Promise<void> {
    history.finishRun(this.db, run);
  }

  async listRuns(options: { sync?: string; limit: number }): Promise<RunRecord[]> {
    return history.listRuns(this.db, options);
  }

  async listRowErrors(options: { sync: string; limit: number }): Promise<RowErrorRecord[]> {
    return history.listRowErrors(this.db, options);
  }

  async countRowErrors(sync: string): Promise<number> {
    return history.countRowErrors(this.db, sync);
  }

  async trackPending(sync: string, keys: AsyncIterable<string> | Iterable<string>, at: string): Promise<PendingSummary> {
    return this.pending.track(sync, keys, at);
  }

  async pendingSummary(sync: string): Promise<PendingSummary> {
    return this.pending.read(sync);
  }

  async recordCycleStarted(sync: string, at: string): Promise<void> {
    this.health.recordStarted(sync, at);
  }

  async recordCycleFinished(cycle: { sync: string; at: string; outcome: CycleOutcome; message: string | null; succeeded: boolean }): Promise<void> {
    this.health.recordFinished(cycle);
  }

  async readHealth(sync: string): Promise<SyncHealth | null> {
    return this.health.get(sync);
  }

  async listAlertStates(): Promise<AlertState[]> {
    return this.alerts.all();
  }

  async changeAlertState(next: AlertState, expectedTransitionId: string | null): Promise<boolean> {
    return this.alerts.change(next, expectedTransitionId);
  }

  async markAlertDelivered(sync: string, rule: string, transitionId: string, channel: string): Promise<void> {
    this.alerts.delivered(sync, rule, transitionId, channel);
  }

  async beat(heartbeat: SchedulerHeartbeat): Promise<void> {
    this.alerts.beat(heartbeat);
  }

  async listHeartbeats(): Promise<SchedulerHeartbeat[]> {
    return this.alerts.listHeartbeats();
  }

  async prune(options: { before: string }): Promise<PruneResult> {
    return pruneHistory(this.db.$client, options.before);
  }

  async reset(sync: string): Promise<SyncState> {
    return state.resetState(this.db, sync);
  }

  async close(): Promise<void> {
    if (this.db.$client.open) this.db.$client.close();
  }
}

/** Opens the snapshot file at `path` (creating it and its directories), migrated and ready. */
export function openSqliteSnapshotStore(path: string, options: SqliteStoreOptions = {}): SqliteSnapshotStore {
  return new SqliteSnapshotStore(openSnapshotDb(path), options);
}
