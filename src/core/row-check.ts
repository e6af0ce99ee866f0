/**
 * Row checks: a 64-bit hash of a row's key and the canonical JSON of its mapped payload, held in a
 * JavaScript number. A plan uses them to recognise the rows the snapshot already holds unchanged
 * (nearly all of them, in a typical run) without building their payload text or fingerprint: that
 * per-row work, not the warehouse read, is what used to bound plan speed.
 *
 * A check only ever proves "unchanged"; every other decision (create, update, delete, duplicate) is
 * made exactly, on fingerprints and keys in SQL. A wrong "unchanged" needs a 64-bit collision between
 * a changed row and a snapshot row: about one in 10^13 changed rows against a million-row snapshot.
 *
 * The check is defined on text, `key + "\u0000" + payloadJson` (canonical JSON escapes U+0000, so the
 * separator is unambiguous), read as UTF-16 code units in pairs. `RowCheckHasher` consumes that text
 * piece by piece, so the planner can hash a row's values in place without concatenating them.
 */

// Multipliers of the two 32-bit lanes (odd, so every step is a bijection of the lane's state: two
// rows that differ in one place can never converge again afterwards).
const LANE_A = 0x9e3779b1;
const LANE_B = 0x85ebca77;
const SEED_A = 0x2f1e4a5b;
const SEED_B = 0x41c6ce57;

// Assembles the two lanes into a float64 bit pattern.
const words = new Uint32Array(2);
const asDouble = new Float64Array(words.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;

/** Streams text into a row check. One instance per thread of work; `begin` resets it. */
export class RowCheckHasher {
  private a = SEED_A;
  private b = SEED_B;
  /** A code unit waiting for its pair (-1: none), so pieces can split the text anywhere. */
  private pending = -1;
  private units = 0;
  private readonly marked = new Float64Array(4);

  begin(): this {
    this.a = SEED_A;
    this.b = SEED_B;
    this.pending = -1;
    this.units = 0;
    return this;
  }

  text(piece: string): this {
    const length = piece.length;
    if (length === 0) return this;
    let a = this.a;
    let b = this.b;
    let i = 0;
    if (this.pending >= 0) {
      const word = this.pending | (piece.charCodeAt(0) << 16);
      a = Math.imul(a ^ word, LANE_A);
      a ^= a >>> 15;
      b = Math.imul(b ^ word, LANE_B);
      b ^= b >>> 13;
      i = 1;
    }
    for (; i + 1 < length; i += 2) {
      const word = piece.charCodeAt(i) | (piece.charCodeAt(i + 1) << 16);
      a = Math.imul(a ^ word, LANE_A);
      a ^= a >>> 15;
      b = Math.imul(b ^ word, LANE_B);
      b ^= b >>> 13;
    }
    this.pending = i < length ? piece.charCodeAt(i) : -1;
    this.a = a;
    this.b = b;
    this.units += length;
    return this;
  }

  /**
   * `text` for the body of a JSON string, when it needs no escaping: hashes `value` and returns true
   * if it holds no character canonical JSON could escape (quote, backslash, controls, U+2028/9,
   * surrogates); at the first such character it stops and returns false, and the state is
   * meaningless until `rewind`. One pass over the value instead of a regex test and then the hash.
   * The mixing steps are `text`'s, written out again because this runs for most values of every row.
   */
  plainText(value: string): boolean {
    const length = value.length;
    let a = this.a;
    let b = this.b;
    let i = 0;
    if (length > 0 && this.pending >= 0) {
      const unit = value.charCodeAt(0);
      if (needsEscape(unit)) return false;
      const word = this.pending | (unit << 16);
      a = Math.imul(a ^ word, LANE_A);
      a ^= a >>> 15;
      b = Math.imul(b ^ word, LANE_B);
      b ^= b >>> 13;
      i = 1;
    }
    for (; i + 1 < length; i += 2) {
      const first = value.charCodeAt(i);
      const second = value.charCodeAt(i + 1);
      if (needsEscape(first) || needsEscape(second)) return false;
      const word = first | (second << 16);
      a = Math.imul(a ^ word, LANE_A);
      a ^= a >>> 15;
      b = Math.imul(b ^ word, LANE_B);
      b ^= b >>> 13;
    }
    if (i < length) {
      const last = value.charCodeAt(i);
      if (needsEscape(last)) return false;
      this.pending = last;
    } else if (length > 0) {
      this.pending = -1;
    }
    this.a = a;
    this.b = b;
    this.units += length;
    return true;
  }

  /** Remembers the state, so a `plainText` that returned false can be undone. */
  mark(): this {
    this.marked[0] = this.a;
    this.marked[1] = this.b;
    this.marked[2] = this.pending;
    this.marked[3] = this.units;
    return this;
  }

  /** Back to the state at the last `mark`. */
  rewind(): this {
    this.a = this.marked[0]!;
    this.b = this.marked[1]!;
    this.pending = this.marked[2]!;
    this.units = this.marked[3]!;
    return this;
  }

  /** The check of everything fed since `begin`. */
  end(): number {
    let a = this.a;
    let b = this.b;
    if (this.pending >= 0) {
      a = Math.imul(a ^ this.pending, LANE_A);
      a ^= a >>> 15;
      b = Math.imul(b ^ this.pending, LANE_B);
      b ^= b >>> 13;
    }
    // Length folded in, then each lane avalanched and mixed into the other (murmur3's finaliser).
    a ^= this.units;
    b ^= Math.imul(this.units, LANE_A);
    a = fmix(a ^ Math.imul(b, 0xcc9e2d51));
    b = fmix(b ^ Math.imul(a, 0x1b873593));
    let high = b >>> 0;
    // NaN and ±Infinity patterns are turned into finite ones: SQLite stores NaN as NULL, and NaN would
    // never equal itself here. Costs a sliver of the 64 bits.
    if ((high & 0x7ff00000) === 0x7ff00000) high ^= 0x00100000;
    words[LOW] = a >>> 0;
    words[HIGH] = high;
    return asDouble[0]!;
  }
}

/** A UTF-16 unit canonical JSON may escape (or that JSON.stringify treats specially): see `plainText`. */
function needsEscape(unit: number): boolean {
  return unit < 0x20 || unit === 0x22 || unit === 0x5c || (unit >= 0x2028 && (unit <= 0x2029 || (unit >= 0xd800 && unit <= 0xdfff)));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const shared = new RowCheckHasher();

/** The check of one row from its key and the canonical JSON of its payload (what the snapshot stores). */
export function rowCheck(key: string, payloadJson: string): number {
  return shared.begin().text(key).text('\u0000').text(payloadJson).end();
}
