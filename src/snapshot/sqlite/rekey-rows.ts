import type Database from 'better-sqlite3';
import { matchKey } from '../../core/match-key.ts';
import { rowCheck } from '../../core/row-check.ts';
import type { KeyCaseAdoption, KeyCaseRequest } from '../store.ts';

/** How many times something happened, with the first few instances to show. */
class Tally {
  count = 0;
  readonly samples: string[] = [];

  add(sample: string): void {
    this.count += 1;
    if (this.samples.length < 5) this.samples.push(sample);
  }
}

interface SnapshotRow {
  key: string;
  payload: string;
  remote_id: string | null;
  synced_at: string;
}

/**
 * Moves snapshot rows to the keys `request` makes of them, one row at a time, inside the caller's
 * transaction. Two rows meeting on one key were one destination record (the destination matched them
 * as one): merged, keeping the row delivered last and the remote id either knew. Rows it must not
 * touch are left as they are and counted, for `problem` to report.
 */
export class SnapshotRekeyer {
  private rekeyed = 0;
  /** Pairs merged, each as "kept / dropped". */
  private readonly merged = new Tally();
  /** Pairs delivered to two different records: the destination did not match them as one. */
  private readonly conflicts = new Tally();
  /** Keys whose payload does not give the key as the model wrote it. */
  private readonly unrestorable = new Tally();
  private readonly rowAt: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly move: Database.Statement;
  private readonly adoptRemoteId: Database.Statement;

  constructor(
    client: Database.Database,
    private readonly sync: string,
    private readonly request: KeyCaseRequest,
  ) {
    this.rowAt = client.prepare('SELECT key, payload, remote_id, synced_at FROM snapshot_rows WHERE sync = ? AND key = ?');
    this.remove = client.prepare('DELETE FROM snapshot_rows WHERE sync = ? AND key = ?');
    this.move = client.prepare('UPDATE snapshot_rows SET key = ?, row_check = ?, remote_id = ? WHERE sync = ? AND key = ?');
    this.adoptRemoteId = client.prepare('UPDATE snapshot_rows SET remote_id = ? WHERE sync = ? AND key = ?');
  }

  rekey({ key: current, payload }: { key: string; payload?: string }): void {
    const target = this.targetOf(current, payload);
    if (target === null) {
      this.unrestorable.add(current);
      return;
    }
    if (target === current) return;
    const row = this.rowAt.get(this.sync, current) as SnapshotRow;
    const other = this.rowAt.get(this.sync, target) as SnapshotRow | undefined;
    let remoteId = row.remote_id;
    if (other) {
      if (row.remote_id !== null && other.remote_id !== null && row.remote_id !== other.remote_id) {
        this.conflicts.add(`${other.key} (id ${other.remote_id}) and ${current} (id ${row.remote_id})`);
        return;
      }
      remoteId ??= other.remote_id;
      // What the record holds is what was delivered to it last.
      const keepOther = other.synced_at >= row.synced_at;
      this.merged.add(keepOther ? `${other.key} / ${current}` : `${current} / ${other.key}`);
      if (keepOther) {
        this.remove.run(this.sync, current);
        if (other.remote_id === null && remoteId !== null) this.adoptRemoteId.run(remoteId, this.sync, target);
        return;
      }
      this.remove.run(this.sync, target);
    }
    this.move.run(target, rowCheck(target, row.payload), remoteId, this.sync, current);
    this.rekeyed += 1;
  }

  /** What must be fixed before the comparison can change, or null. */
  problem(): string | null {
    const problems: string[] = [];
    if (this.conflicts.count > 0) {
      problems.push(
        `${this.conflicts.count} pair(s) of keys that differ only in case were delivered to different records, e.g. ${this.conflicts.samples.join('; ')}: ` +
          'the destination keeps them apart, so it does not match these keys ignoring case. Set destination.matchIgnoresCase: false in the sync; ' +
          'or, if they are duplicates there, merge them in the destination and run `ebb reset` for this sync',
      );
    }
    if (this.unrestorable.count > 0) {
      problems.push(
        `${this.unrestorable.count} key(s) cannot be given back as the model wrote them, e.g. ${this.unrestorable.samples.join(', ')}: their last delivered payload has no field mapped from the key. ` +
          'Run `ebb reset` for this sync so that the next plan starts again from the model (upserts find the existing records by their key)',
      );
    }
    return problems.length === 0 ? null : `the snapshot of "${this.sync}" cannot be re-keyed: ${problems.join('. ')}`;
  }

  counts(): Omit<KeyCaseAdoption, 'state'> {
    return { rekeyed: this.rekeyed, merged: this.merged.count, mergedSamples: [...this.merged.samples] };
  }

  /** The key a row moves to; null when it cannot be told (going back to exact keys without the key in the payload). */
  private targetOf(current: string, payload: string | undefined): string | null {
    if (this.request.ignoreCase) return matchKey(current, true);
    const written = this.request.keyInPayload(payload!);
    // The payload's value must be this very key, only in other case; anything else is not its key.
    return written !== null && matchKey(written, true) === matchKey(current, true) ? written : null;
  }
}
