import { and, count, desc, eq } from 'drizzle-orm';
import { EbbError } from '../../core/errors.ts';
import type { RowErrorRecord, RunRecord } from '../store.ts';
import type { SnapshotDb } from './connection.ts';
import { rowErrors, runs } from './schema.ts';

export function startRun(db: SnapshotDb, run: Pick<RunRecord, 'id' | 'sync' | 'kind' | 'startedAt' | 'planned'>): void {
  db.insert(runs)
    .values({ ...run, status: 'running', finishedAt: null, delivered: 0, failed: 0, rejected: 0, apiCalls: 0, rateLimited: 0, message: null })
    .run();
}

export function finishRun(db: SnapshotDb, run: Omit<RunRecord, 'sync' | 'kind' | 'startedAt'>): void {
  const { id, ...outcome } = run;
  const result = db.update(runs).set(outcome).where(eq(runs.id, id)).run();
  if (result.changes === 0) {
    throw new EbbError('UNKNOWN_RUN', `No run with id "${id}" to finish: record it with startRun() first.`);
  }
}

/** Newest first. */
export function listRuns(db: SnapshotDb, options: { sync?: string; limit: number }): RunRecord[] {
  return db
    .select()
    .from(runs)
    .where(options.sync === undefined ? undefined : eq(runs.sync, options.sync))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(options.limit)
    .all();
}

/** Most recently seen first; only those of `code` when given. */
export function listRowErrors(db: SnapshotDb, options: { sync: string; limit: number; code?: string }): RowErrorRecord[] {
  return db
    .select()
    .from(rowErrors)
    .where(options.code === undefined ? eq(rowErrors.sync, options.sync) : and(eq(rowErrors.sync, options.sync), eq(rowErrors.code, options.code)))
    .orderBy(desc(rowErrors.lastSeenAt), rowErrors.key)
    .limit(options.limit)
    .all();
}

export function countRowErrors(db: SnapshotDb, sync: string): number {
  return db.select({ n: count() }).from(rowErrors).where(eq(rowErrors.sync, sync)).get()?.n ?? 0;
}
