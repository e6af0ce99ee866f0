import type Database from 'better-sqlite3';
import { SortedChecks, SortedChecksBuilder } from './sorted-checks.ts';

const UNSEEN = 0;
const SEEN_ONCE = 1;
const SEEN_AGAIN = 2;
/** Two snapshot rows share this check (a 64-bit collision): it proves nothing, so it is never matched. */
const AMBIGUOUS = 3;

/** What a model row's check found in the snapshot. */
export type CheckMatch =
  /** No snapshot row holds this key with this payload: the row must be staged. */
  | 'none'
  /** First model row to match this snapshot row: the row is unchanged. */
  | 'unchanged'
  /** The second model row to match this snapshot row: the model repeats the key (and the payload). */
  | 'second'
  /** A third or later one. */
  | 'later';

/**
 * The row checks of one sync's snapshot, sorted in memory, with what the current plan matched: 7.5
 * bytes a row (6.5 for the check in `SortedChecks`, 1 for its state). A million rows take 7.5 MB,
 * against the seconds of per-row SQLite lookups they save (4 µs a row when the model does not come in
 * key order: each lookup then misses SQLite's page cache).
 *
 * Memory is capped: past `limit` rows only the lowest `limit` checks are held. Checks are uniformly
 * random, so that is a random sample of the rows; the others cannot be proven unchanged here and go
 * through staging (exact, only slower), and the vanished-key search reads them from SQLite.
 */
export class SnapshotChecks {
  private constructor(
    private readonly checks: SortedChecks,
    private readonly states: Uint8Array,
    /** Checks at or above this are not held (Infinity: all are). */
    readonly heldBelow: number,
    /** Rows of the sync in the snapshot, held or not. */
    readonly snapshotRows: number,
  ) {}

  /**
   * Reads up to `limit` checks, lowest first, in one read transaction, so count and rows agree. Read a
   * page at a time (`all()` is twice as fast as stepping a row at a time), resuming after the last
   * value read; `pageSize` is only for tests.
   */
  static load(client: Database.Database, sync: string, limit: number, pageSize = CHECKS_PER_PAGE): SnapshotChecks {
    return client.transaction(() => {
      const count = client.prepare('SELECT count(*) FROM snapshot_rows WHERE sync = ?').pluck().get(sync) as number;
      // Past the cap, one value more: the lowest check not held.
      const read = count > limit ? limit + 1 : count;
      const builder = new SortedChecksBuilder(read);
      const states = new Uint8Array(read);
      const page = client.prepare('SELECT row_check FROM snapshot_rows WHERE sync = ? AND row_check >= ? ORDER BY row_check LIMIT ?').pluck();
      let loaded = 0;
      let last = NaN;
      // How many values in a row equal `last`: the next page starts with them again, and past the cap they are not held.
      let equalRun = 0;
      while (loaded < read) {
        const want = Math.min(pageSize, read - loaded);
        // A later page starts at the last value, so it gives the equal ones already read again: skip them.
        const skip = loaded === 0 ? 0 : equalRun;
        const part = page.all(sync, loaded === 0 ? -Number.MAX_VALUE : last, want + skip) as number[];
        for (let j = skip; j < part.length; j += 1) {
          const value = part[j]!;
          builder.push(value);
          if (value === last) {
            // Two snapshot rows share this check (a 64-bit collision): it proves nothing.
            states[loaded] = states[loaded - 1] = AMBIGUOUS;
            equalRun += 1;
          } else {
            equalRun = 1;
          }
          last = value;
          loaded += 1;
        }
        if (part.length < want + skip) break;
      }
      // Past the cap, a check is held with all of its rows or not at all.
      const held = count > limit ? loaded - equalRun : loaded;
      return new SnapshotChecks(builder.build(held), states.subarray(0, held), count > limit ? last : Infinity, count);
    })();
  }

  /**
   * Where each of the first `count` checks is held (-1: not held), for `matchAt`. A batch's lookups
   * are done together, apart from the state updates, so their cache misses overlap (`indexOfAll`).
   */
  locate(checks: ArrayLike<number>, count: number, positions: Int32Array): void {
    this.checks.indexOfAll(checks, count, this.heldBelow, positions);
  }

  /** Records that a model row has the check found at `position` (from `locate`), and says what that means. */
  matchAt(position: number): CheckMatch {
    if (position < 0) return 'none';
    const state = this.states[position]!;
    if (state === AMBIGUOUS) return 'none';
    this.states[position] = state === UNSEEN ? SEEN_ONCE : SEEN_AGAIN;
    return state === UNSEEN ? 'unchanged' : state === SEEN_ONCE ? 'second' : 'later';
  }

  /**
   * For a staged row whose key the snapshot holds under this check: if exactly one model row matched
   * that snapshot row, the key is repeated and that earlier occurrence still needs its marker. Records
   * the repeat (so it is reported once) and says whether to add the marker.
   */
  claimRepeat(check: number): boolean {
    const at = this.checks.indexOf(check);
    if (at < 0 || this.states[at] !== SEEN_ONCE) return false;
    this.states[at] = SEEN_AGAIN;
    return true;
  }

  /**
   * Distinct held checks no model row matched. With the rows not held (`heldBelow` and above), every
   * snapshot row that may have left the model.
   */
  *unmatched(): Generator<number> {
    const states = this.states;
    let previous = NaN;
    for (const [i, check] of this.checks.entries()) {
      if (states[i] === UNSEEN || (states[i] === AMBIGUOUS && check !== previous)) yield check;
      previous = check;
    }
  }
}

/**
 * 4,096 numbers (32 KB) a page stay in V8's young generation and die there. Pages of 65,536 went to
 * its large-object space, where 8M checks left about 50 MB of dead pages until a full collection;
 * smaller pages also load faster (1.7 s against 2.0–2.6 s for 8M checks).
 */
const CHECKS_PER_PAGE = 4_096;
