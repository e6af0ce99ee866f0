import { and, eq } from 'drizzle-orm';
import { EbbError } from '../../core/errors.ts';
import type { LockRequest, LockResult } from '../store.ts';
import { immediate, type SnapshotDb } from './connection.ts';
import { syncState } from './schema.ts';
import { ensureState } from './state.ts';

/**
 * The per-sync apply lock lives in sync_state, so every connection to the file (other processes
 * included) sees it. It expires, so a crashed holder blocks the sync for at most its ttl.
 */
export function acquireLock(db: SnapshotDb, request: LockRequest): LockResult {
  const { sync, holder, ttlMs } = request;
  const expiresAt = expiryFrom(Date.now(), ttlMs);
  return immediate(db, () => {
    ensureState(db, sync);
    const current = db
      .select({ holder: syncState.lockHolder, expiresAt: syncState.lockExpiresAt })
      .from(syncState)
      .where(eq(syncState.sync, sync))
      .get();
    const takeable =
      !current?.holder ||
      !current.expiresAt ||
      current.holder === holder ||
      Date.parse(current.expiresAt) <= Date.now() ||
      request.holderIsDead?.(current.holder) === true;
    if (!takeable) return { acquired: false, holder: current.holder as string, expiresAt: current.expiresAt as string };
    db.update(syncState)
      .set({ lockHolder: holder, lockExpiresAt: expiresAt, updatedAt: new Date().toISOString() })
      .where(eq(syncState.sync, sync))
      .run();
    return { acquired: true };
  });
}

/** Extends the lock only while `holder` still has it (an expired lock nobody took is still ours). */
export function refreshLock(db: SnapshotDb, sync: string, holder: string, ttlMs: number): boolean {
  const result = db
    .update(syncState)
    .set({ lockExpiresAt: expiryFrom(Date.now(), ttlMs) })
    .where(and(eq(syncState.sync, sync), eq(syncState.lockHolder, holder)))
    .run();
  return result.changes > 0;
}

/** Releasing a lock someone else holds is a no-op: it is theirs now. */
export function releaseLock(db: SnapshotDb, sync: string, holder: string): void {
  db.update(syncState)
    .set({ lockHolder: null, lockExpiresAt: null })
    .where(and(eq(syncState.sync, sync), eq(syncState.lockHolder, holder)))
    .run();
}

function expiryFrom(now: number, ttlMs: number): string {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new EbbError('INVALID_LOCK_TTL', `Lock ttlMs must be a positive number of milliseconds, got ${ttlMs}.`);
  }
  return new Date(now + ttlMs).toISOString();
}
