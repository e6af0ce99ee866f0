import type Database from 'better-sqlite3';

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
 * The row checks of one sync's snapshot, sorted in memory, with what the current plan matched: 13
 * bytes a row (value, state, directory). A million rows take 13 MB, against the seconds of per-row
 * SQLite lookups they save (4 µs a row when the model does not come in key order: each lookup then
 * misses SQLite's page cache).
 *
 * Memory is capped: past `limit` rows only the lowest `limit` checks are held. Checks are uniformly
 * random, so that is a random sample of the rows; the others cannot be proven unchanged here and go
 * through staging (exact, only slower), and the vanished-key search reads them from SQLite.
 */
export class SnapshotChecks {
  private constructor(
    private readonly values: Float64Array,
    private readonly states: Uint8Array,
    private readonly directory: CheckDirectory,
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
      let values = new Float64Array(read);
      const page = client.prepare('SELECT row_check FROM snapshot_rows WHERE sync = ? AND row_check >= ? ORDER BY row_check LIMIT ?').pluck();
      let i = 0;
      let from = -Number.MAX_VALUE;
      // How many values equal to `from` were already read: the next page starts with them again.
      let alreadyRead = 0;
      while (i < read) {
        const want = Math.min(pageSize, read - i);
        const part = page.all(sync, from, want + alreadyRead) as number[];
        for (let j = alreadyRead; j < part.length; j += 1) values[i++] = part[j]!;
        if (part.length < want + alreadyRead) break;
        from = values[i - 1]!;
        alreadyRead = 0;
        for (let k = i - 1; k >= 0 && values[k] === from; k -= 1) alreadyRead += 1;
      }
      let heldBelow = Infinity;
      if (count > limit) {
        heldBelow = values[limit]!;
        // A check is held with all of its rows or not at all.
        let end = limit;
        while (end > 0 && values[end - 1] === heldBelow) end -= 1;
        values = values.subarray(0, end);
      }
      const states = new Uint8Array(values.length);
      for (let j = 1; j < values.length; j += 1) {
        if (values[j] === values[j - 1]) states[j] = states[j - 1] = AMBIGUOUS;
      }
      return new SnapshotChecks(values, states, new CheckDirectory(values), heldBelow, count);
    })();
  }

  /** Records that a model row has this check, and says what that means. */
  match(check: number): CheckMatch {
    if (!(check < this.heldBelow)) return 'none';
    const at = this.find(check);
    if (at < 0) return 'none';
    const state = this.states[at]!;
    if (state === AMBIGUOUS) return 'none';
    this.states[at] = state === UNSEEN ? SEEN_ONCE : SEEN_AGAIN;
    return state === UNSEEN ? 'unchanged' : state === SEEN_ONCE ? 'second' : 'later';
  }

  /**
   * For a staged row whose key the snapshot holds under this check: if exactly one model row matched
   * that snapshot row, the key is repeated and that earlier occurrence still needs its marker. Records
   * the repeat (so it is reported once) and says whether to add the marker.
   */
  claimRepeat(check: number): boolean {
    const at = this.find(check);
    if (at < 0 || this.states[at] !== SEEN_ONCE) return false;
    this.states[at] = SEEN_AGAIN;
    return true;
  }

  /**
   * Distinct held checks no model row matched. With the rows not held (`heldBelow` and above), every
   * snapshot row that may have left the model.
   */
  *unmatched(): Generator<number> {
    const { values, states } = this;
    for (let i = 0; i < values.length; i += 1) {
      if (states[i] === UNSEEN || (states[i] === AMBIGUOUS && (i === 0 || values[i] !== values[i - 1]))) yield values[i]!;
    }
  }

  /** Position of the first value equal to `check`, or -1: a binary search within its directory bucket. */
  private find(check: number): number {
    const values = this.values;
    const bucket = this.directory.bucketOf(check);
    let low = this.directory.starts[bucket]!;
    let high = this.directory.starts[bucket + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (values[middle]! < check) low = middle + 1;
      else high = middle;
    }
    return low < values.length && values[low] === check ? low : -1;
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

const CHECKS_PER_PAGE = 65_536;

/** Values per directory bucket, on average: 1 to 2 bytes a row of directory, and a lookup's binary search stays within a cache line or two. */
const VALUES_PER_BUCKET = 4;

/**
 * Where each range of checks starts in the sorted values. Checks are uniformly random bit patterns,
 * so the top bits of their order-preserving integer form split them evenly: a few values per bucket,
 * and a lookup touches two or three of them instead of twenty.
 */
class CheckDirectory {
  readonly starts: Uint32Array;
  private readonly shift: number;

  constructor(sortedValues: Float64Array) {
    const bucketBits = Math.min(22, Math.max(1, Math.ceil(Math.log2(sortedValues.length / VALUES_PER_BUCKET + 1))));
    this.shift = 32 - bucketBits;
    const buckets = 2 ** bucketBits;
    this.starts = new Uint32Array(buckets + 1);
    let at = 0;
    for (let bucket = 0; bucket < buckets; bucket += 1) {
      while (at < sortedValues.length && this.bucketOf(sortedValues[at]!) < bucket) at += 1;
      this.starts[bucket] = at;
    }
    this.starts[buckets] = sortedValues.length;
  }

  bucketOf(value: number): number {
    bits[0] = value;
    const high = words[HIGH_WORD]!;
    // IEEE order: negative values sort in reverse of their bits. ±0 fall into neighbouring buckets,
    // so a check of -0 could miss a +0 (a 2^-63 chance, and a miss only means staging the row).
    const ordered = high >= 0x80000000 ? ~high >>> 0 : (high | 0x80000000) >>> 0;
    return ordered >>> this.shift;
  }
}
