import { LockHeldError } from '../../core/errors.ts';
import { matchKey } from '../../core/match-key.ts';
import { rowCheck } from '../../core/row-check.ts';
import type { KeyCaseAdoption, KeyCaseRequest } from '../store.ts';
import { immediate, type SnapshotDb } from './connection.ts';
import { ensureState, readState } from './state.ts';

/** Rows read at a time while re-keying: the write transaction stays one, the memory small. */
const PAGE = 1_000;
const SAMPLES = 5;

interface SnapshotKeyRow {
  key: string;
  payload: string;
  synced_at: string;
}

/**
 * SnapshotStore.adoptKeyCase over SQLite. Nothing to do (one read) unless the sync's destination
 * started or stopped matching keys ignoring case since its rows were written: a new Ebb version that
 * knows the destination better, or `destination.matchIgnoresCase` set or removed.
 */
export function adoptKeyCase(db: SnapshotDb, sync: string, request: KeyCaseRequest): KeyCaseAdoption {
  const unchanged = (): KeyCaseAdoption => ({ state: ensureState(db, sync), rekeyed: 0, merged: 0, mergedSamples: [] });
  // The usual case, read without taking the write lock: every plan passes here.
  if (keysIgnoreCase(db, sync) === request.ignoreCase) return unchanged();
  return immediate(db, () => {
    ensureState(db, sync);
    // Checked again under the write lock: another process may have re-keyed in between.
    if (keysIgnoreCase(db, sync) === request.ignoreCase) return unchanged();
    const lock = db.$client.prepare('SELECT lock_holder AS holder, lock_expires_at AS expiresAt FROM sync_state WHERE sync = ?').get(sync) as {
      holder: string | null;
      expiresAt: string | null;
    };
    // An apply in flight commits under the current keys and serial: re-keying under it would fail its
    // next commit. Its lock says it is there; the caller's own lock (a scheduled cycle's) does not count.
    if (lock.holder && lock.holder !== request.lockHolder && lock.expiresAt && Date.parse(lock.expiresAt) > Date.now()) {
      throw new LockHeldError(
        `the snapshot of "${sync}" must be re-keyed (its destination now matches keys ${request.ignoreCase ? 'ignoring' : 'respecting'} case), ` +
          `but an apply holds the sync (${lock.holder}, until ${lock.expiresAt}). Plan again when it has finished.`,
      );
    }
    const result = rekeyRows(db, sync, request);
    const changed = result.rekeyed + result.merged > 0;
    db.$client
      .prepare('UPDATE sync_state SET keys_ignore_case = ?, serial = serial + ?, updated_at = ? WHERE sync = ?')
      .run(request.ignoreCase ? 1 : 0, changed ? 1 : 0, new Date().toISOString(), sync);
    return { state: readState(db, sync)!, ...result };
  });
}

/** Whether the sync's snapshot keys are lower-cased; false for a sync with no state yet (nothing to re-key). */
function keysIgnoreCase(db: SnapshotDb, sync: string): boolean {
  const row = db.$client.prepare('SELECT keys_ignore_case AS ignoreCase FROM sync_state WHERE sync = ?').get(sync) as { ignoreCase: number } | undefined;
  return Boolean(row?.ignoreCase);
}

/** Rewrites each key that is not what `request` makes of it; two rows meeting on one key become one. */
function rekeyRows(db: SnapshotDb, sync: string, request: KeyCaseRequest): Omit<KeyCaseAdoption, 'state'> {
  const client = db.$client;
  // Lower-casing needs only the keys, which the primary key's index holds in order: the rest of a row
  // is read only when it moves (its row check changes) or meets another.
  const page = client.prepare(`SELECT key${request.ignoreCase ? '' : ', payload'} FROM snapshot_rows WHERE sync = ? AND key > ? ORDER BY key LIMIT ?`);
  const rowAt = client.prepare('SELECT key, payload, synced_at FROM snapshot_rows WHERE sync = ? AND key = ?');
  const remove = client.prepare('DELETE FROM snapshot_rows WHERE sync = ? AND key = ?');
  const move = client.prepare('UPDATE snapshot_rows SET key = ?, row_check = ? WHERE sync = ? AND key = ?');
  let rekeyed = 0;
  let merged = 0;
  const mergedSamples: string[] = [];
  // Paged by key: a row moved to a key further on is met again there, already what it should be.
  let after = '';
  for (;;) {
    const rows = page.all(sync, after, PAGE) as { key: string; payload?: string }[];
    for (const { key: current, payload } of rows) {
      const key = request.ignoreCase ? matchKey(current, true) : (request.keyInPayload(payload!) ?? current);
      if (key === current) continue;
      const row = rowAt.get(sync, current) as SnapshotKeyRow;
      const other = rowAt.get(sync, key) as SnapshotKeyRow | undefined;
      if (other) {
        merged += 1;
        if (mergedSamples.length < SAMPLES) mergedSamples.push(`${other.key} / ${current}`);
        // Both were delivered to one record; what it holds is what was delivered last.
        if (other.synced_at >= row.synced_at) {
          remove.run(sync, current);
          continue;
        }
        remove.run(sync, key);
      }
      move.run(key, rowCheck(key, row.payload), sync, current);
      rekeyed += 1;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.key;
  }
  return { rekeyed, merged, mergedSamples };
}
