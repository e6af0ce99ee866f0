import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { SyncState } from '../store.ts';
import { immediate, type SnapshotDb } from './connection.ts';
import { pendingChanges, rowErrors, snapshotRows, syncState } from './schema.ts';

const stateColumns = {
  sync: syncState.sync,
  lineage: syncState.lineage,
  serial: syncState.serial,
  definitionHash: syncState.definitionHash,
};

export function readState(db: SnapshotDb, sync: string): SyncState | null {
  return db.select(stateColumns).from(syncState).where(eq(syncState.sync, sync)).get() ?? null;
}

/** Creates the sync's state with a fresh lineage unless it exists; safe against a concurrent creator. */
export function ensureState(db: SnapshotDb, sync: string): SyncState {
  db.insert(syncState)
    .values({ sync, lineage: randomUUID(), serial: 0, updatedAt: new Date().toISOString() })
    .onConflictDoNothing()
    .run();
  const state = readState(db, sync);
  if (!state) throw new Error(`sync_state row for "${sync}" vanished right after it was ensured`);
  return state;
}

/**
 * New lineage, serial 0, no snapshot rows and no row errors: the next plan proposes every model row
 * as a create, and any plan made before the reset is stale. Runs (history) and the lock stay.
 */
export function resetState(db: SnapshotDb, sync: string): SyncState {
  return immediate(db, () => {
    ensureState(db, sync);
    db.delete(snapshotRows).where(eq(snapshotRows.sync, sync)).run();
    db.delete(rowErrors).where(eq(rowErrors.sync, sync)).run();
    db.delete(pendingChanges).where(eq(pendingChanges.sync, sync)).run();
    db.update(syncState)
      .set({ lineage: randomUUID(), serial: 0, definitionHash: null, updatedAt: new Date().toISOString() })
      .where(eq(syncState.sync, sync))
      .run();
    return ensureState(db, sync);
  });
}

/** When a commit last delivered or deleted a record for the sync (ISO), or null if never. */
export function readLastDeliveredAt(db: SnapshotDb, sync: string): string | null {
  const row = db.select({ at: syncState.lastDeliveredAt }).from(syncState).where(eq(syncState.sync, sync)).get();
  return row?.at ?? null;
}
