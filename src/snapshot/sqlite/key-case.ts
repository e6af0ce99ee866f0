import { KeyCaseError, LockHeldError } from '../../core/errors.ts';
import type { KeyCaseAdoption, KeyCaseRequest } from '../store.ts';
import { immediate, type SnapshotDb } from './connection.ts';
import { refreshLock } from './lock.ts';
import { PlannedKeyFolder } from './fold-planned-keys.ts';
import { SnapshotRekeyer } from './rekey-rows.ts';
import { ensureState, readState } from './state.ts';

/**
 * Keys looked at per transaction. Moving a key costs SQLite about 70 µs (the row and both indexes), so
 * a transaction holds the file's write lock for a few hundred milliseconds at most, well within the 5 s
 * other processes wait for it, however large the snapshot.
 */
const KEYS_PER_TRANSACTION = 5_000;
/** Each transaction extends the sync's lock by this much, so a long re-key keeps it. */
const LOCK_TTL_MS = 120_000;

/** Whether the sync's snapshot keys are stored lower-cased; false for a sync with no state yet. */
export function readKeysIgnoreCase(db: SnapshotDb, sync: string): boolean {
  const row = db.$client.prepare('SELECT keys_ignore_case AS ignoreCase FROM sync_state WHERE sync = ?').get(sync) as { ignoreCase: number } | undefined;
  return Boolean(row?.ignoreCase);
}

/**
 * SnapshotStore.rekeySnapshot over SQLite: the serial moves first; then the snapshot rows, the pending
 * changes and the row errors are re-keyed a page at a time; the comparison is recorded last. A crash
 * in between leaves some keys moved and the old comparison recorded: the next plan re-keys again, and
 * keys already right are left alone.
 */
export async function rekeySnapshot(db: SnapshotDb, sync: string, request: KeyCaseRequest): Promise<KeyCaseAdoption> {
  const stillLocked = () => {
    if (!refreshLock(db, sync, request.lockHolder, LOCK_TTL_MS)) {
      throw new LockHeldError(`the lock of "${sync}" was lost while its snapshot was being re-keyed; plan again`);
    }
  };
  immediate(db, () => {
    ensureState(db, sync);
    stillLocked();
    // The comparison changes, so a plan made under the old one is stale even if no key moves.
    db.$client.prepare('UPDATE sync_state SET serial = serial + 1, updated_at = ? WHERE sync = ?').run(new Date().toISOString(), sync);
  });
  const rekeyer = new SnapshotRekeyer(db.$client, sync, request);
  await inPages(db, sync, 'snapshot_rows', request.ignoreCase ? 'key' : 'key, payload', (row) => rekeyer.rekey(row as { key: string; payload?: string }), stillLocked);
  const problem = rekeyer.problem();
  if (problem) throw new KeyCaseError(problem);
  // Pending changes and row errors only ever hold keys as planned: lower-casing them keeps a pending
  // change's first-seen time (the freshness SLA) and a row's attempts. Going back, they cannot be
  // restored; the next plan records them anew.
  if (request.ignoreCase) {
    const planned = new PlannedKeyFolder(db.$client, sync);
    await inPages(db, sync, 'pending_changes', 'key', (row) => planned.pending(row.key), stillLocked);
    await inPages(db, sync, 'row_errors', 'key', (row) => planned.rowError(row.key), stillLocked);
  }
  return immediate(db, () => {
    stillLocked();
    db.$client.prepare('UPDATE sync_state SET keys_ignore_case = ?, updated_at = ? WHERE sync = ?').run(request.ignoreCase ? 1 : 0, new Date().toISOString(), sync);
    return { state: readState(db, sync)!, ...rekeyer.counts() };
  });
}

/**
 * Calls `work` on every row of `table` for the sync, in key order, one transaction per page, yielding
 * to the event loop in between (a scheduler runs other syncs in this process). A row moved to a key
 * further on is met again there, already right.
 */
async function inPages(
  db: SnapshotDb,
  sync: string,
  table: 'snapshot_rows' | 'pending_changes' | 'row_errors',
  columns: string,
  work: (row: { key: string }) => void,
  stillLocked: () => void,
): Promise<void> {
  const page = db.$client.prepare(`SELECT ${columns} FROM ${table} WHERE sync = ? AND key > ? ORDER BY key LIMIT ?`);
  let after = '';
  for (;;) {
    const rows = immediate(db, () => {
      stillLocked();
      const rows = page.all(sync, after, KEYS_PER_TRANSACTION) as { key: string }[];
      for (const row of rows) work(row);
      return rows;
    });
    if (rows.length < KEYS_PER_TRANSACTION) return;
    after = rows[rows.length - 1]!.key;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
