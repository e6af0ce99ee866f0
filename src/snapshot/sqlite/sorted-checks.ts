/**
 * A sorted set of row checks (64-bit patterns held in JavaScript numbers) in 6.5 bytes a value, where
 * a Float64Array and a directory over it take 9 to 10. Each check is turned into 64 bits whose unsigned
 * order is its numeric order; the top bits pick a bucket of the directory and are not stored, the rest
 * are (at most 16 bits in `highRests`, 32 in `lows`). Checks are uniformly random, so buckets hold a
 * handful of values each and a lookup is a short binary search within one.
 */
export class SortedChecks {
  private readonly restMask: number;
  /** What `indexOfAll`'s warming pass read; never used otherwise. */
  private touched = 0;

  /** Made by `SortedChecksBuilder.build`. */
  constructor(
    /** Each value's ordered high word without its bucket bits: at most 16 bits. */
    private readonly highRests: Uint16Array,
    private readonly lows: Uint32Array,
    /** `starts[b]`: index of the first value in bucket b; `starts[buckets]` is the length. */
    private readonly starts: Uint32Array,
    /** 32 minus the bucket bits. */
    private readonly shift: number,
  ) {
    this.restMask = (1 << shift) - 1;
  }

  get length(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** Position of the first value equal to `check`, or -1. The search compares words, not rebuilt numbers. */
  indexOf(check: number): number {
    const high = orderedHigh(check);
    const low = orderedLow(high);
    const bucket = high >>> this.shift;
    const rest = high & this.restMask;
    const { highRests, lows } = this;
    let from = this.starts[bucket]!;
    const end = this.starts[bucket + 1]!;
    let to = end;
    while (from < to) {
      const middle = (from + to) >>> 1;
      const middleRest = highRests[middle]!;
      if (middleRest < rest || (middleRest === rest && lows[middle]! < low)) from = middle + 1;
      else to = middle;
    }
    return from < end && highRests[from] === rest && lows[from] === low ? from : -1;
  }

  /**
   * `indexOf` of the first `count` checks into `positions` (-1 for checks at or above `below`), in
   * three passes. The lookups of a plan miss the CPU cache (the warehouse read evicts the checks
   * between batches), and a binary search's branches keep those misses one at a time. Passes 1 and 2
   * are branch-free loops of independent loads (each bucket's start, then its first values), so their
   * misses overlap; pass 3 searches lines already cached. A third less time than one pass.
   */
  indexOfAll(checks: ArrayLike<number>, count: number, below: number, positions: Int32Array): void {
    const { starts, highRests, lows, shift } = this;
    for (let i = 0; i < count; i += 1) positions[i] = starts[orderedHigh(checks[i]!) >>> shift]!;
    let touched = 0;
    for (let i = 0; i < count; i += 1) touched ^= highRests[positions[i]!]! ^ lows[positions[i]!]!;
    this.touched = touched; // kept, so the loads cannot be optimised away
    for (let i = 0; i < count; i += 1) {
      const check = checks[i]!;
      positions[i] = check < below ? this.indexOf(check) : -1;
    }
  }

  /** Every value with its position, in order. */
  *entries(): Generator<[index: number, check: number]> {
    const { starts, shift } = this;
    for (let bucket = 0; bucket + 1 < starts.length; bucket += 1) {
      for (let i = starts[bucket]!; i < starts[bucket + 1]!; i += 1) {
        yield [i, join(((bucket << shift) | this.highRests[i]!) >>> 0, this.lows[i]!)];
      }
    }
  }
}

/** Fills a `SortedChecks`, once, from values given in ascending order (as `ORDER BY row_check` returns them). */
export class SortedChecksBuilder {
  private readonly highRests: Uint16Array;
  private readonly lows: Uint32Array;
  /** Values per bucket while filling; prefix-summed into the starts by `build`. */
  private readonly counts: Uint32Array;
  private readonly shift: number;
  private size = 0;
  private lastBucket = 0;

  constructor(private readonly capacity: number) {
    const bucketBits = Math.min(MAX_BUCKET_BITS, Math.max(MIN_BUCKET_BITS, Math.ceil(Math.log2(capacity / VALUES_PER_BUCKET + 1))));
    this.shift = 32 - bucketBits;
    this.highRests = new Uint16Array(capacity);
    this.lows = new Uint32Array(capacity);
    this.counts = new Uint32Array(2 ** bucketBits + 1);
  }

  push(check: number): void {
    if (this.size === this.capacity) throw new RangeError(`SortedChecks: more than the ${this.capacity} values announced`);
    const high = orderedHigh(check);
    const bucket = high >>> this.shift;
    if (bucket < this.lastBucket) throw new RangeError('SortedChecks: values must be pushed in ascending order');
    this.lastBucket = bucket;
    this.highRests[this.size] = high & ((1 << this.shift) - 1);
    this.lows[this.size] = orderedLow(high);
    this.counts[bucket + 1]! += 1;
    this.size += 1;
  }

  /** The set of the first `length` values pushed (all of them by default). */
  build(length = this.size): SortedChecks {
    const starts = this.counts;
    for (let bucket = 1; bucket < starts.length; bucket += 1) starts[bucket]! += starts[bucket - 1]!;
    // Values are in bucket order, so cutting the tail off is capping every start at `length`.
    for (let bucket = 0; bucket < starts.length; bucket += 1) if (starts[bucket]! > length) starts[bucket] = length;
    return new SortedChecks(this.highRests.subarray(0, length), this.lows.subarray(0, length), starts, this.shift);
  }
}

/** Values per directory bucket on average: half a byte a value of directory, and a lookup's binary search takes three steps. */
const VALUES_PER_BUCKET = 8;
/** At least 16 bucket bits, so what is left of the high word fits a Uint16Array. */
const MIN_BUCKET_BITS = 16;
/** 64 MB of directory at most; past 128M values, buckets just hold more. */
const MAX_BUCKET_BITS = 24;

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;
const LOW = LITTLE_ENDIAN ? 0 : 1;

/**
 * A number's bits as two unsigned words whose order is the numbers' order (IEEE: flip the sign bit of
 * positives, every bit of negatives). -0 is taken as +0, which it equals. `orderedHigh` loads the number
 * into `bits`, and `orderedLow` reads its low word from there: call them in that order, with nothing
 * in between. Two functions returning words rather than one returning a pair: this runs per row.
 */
function orderedHigh(check: number): number {
  bits[0] = check === 0 ? 0 : check;
  const high = words[HIGH]!;
  return high >= 0x80000000 ? ~high >>> 0 : (high | 0x80000000) >>> 0;
}

/** The low ordered word of the number `orderedHigh` just loaded, given its ordered high word. */
function orderedLow(orderedHighWord: number): number {
  const low = words[LOW]!;
  return orderedHighWord >= 0x80000000 ? low : ~low >>> 0;
}

/** The number whose ordered words these are: `orderedHigh` and `orderedLow` undone. */
function join(high: number, low: number): number {
  if (high >= 0x80000000) {
    words[HIGH] = high & 0x7fffffff;
    words[LOW] = low;
  } else {
    words[HIGH] = ~high >>> 0;
    words[LOW] = ~low >>> 0;
  }
  return bits[0]!;
}
