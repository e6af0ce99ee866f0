/**
 * The normalised value model every Source produces and every Connector consumes.
 *
 * Sources must normalise warehouse types to exactly these shapes so the same data gives the same
 * fingerprint whichever warehouse it came from:
 * - BOOLEAN → boolean
 * - integers (TINYINT … HUGEINT, NUMBER(p,0)) → number when |x| ≤ 2^53−1, otherwise a decimal string
 * - DECIMAL/NUMERIC with scale > 0 → string with exactly `scale` fraction digits ("12.50"); no float rounding
 * - REAL/DOUBLE/FLOAT → number (NaN and ±Infinity → string "NaN", "Infinity", "-Infinity")
 * - DATE → "YYYY-MM-DD"
 * - TIMESTAMP (no zone) → treated as UTC; TIMESTAMPTZ → converted to UTC; both as
 *   "YYYY-MM-DDTHH:mm:ss.sssZ" (sub-millisecond digits truncated)
 * - TIME → "HH:mm:ss" (fraction kept only when non-zero, as ".ffffff")
 * - VARCHAR/TEXT/UUID/ENUM → string
 * - BLOB/BINARY/BYTEA → base64 string
 * - LIST/ARRAY/STRUCT/MAP/JSON/VARIANT/OBJECT → a JSON value (array or object, parsed, not a string);
 *   a number in JSON text that a JS number cannot hold exactly fails the read (sources/normalise/json.ts)
 * - NULL → null
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Value = JsonValue;

/** One model row (column name → value) or one mapped payload (destination field → value). */
export type Row = Record<string, Value>;

export const MAX_SAFE_INTEGER_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers that JavaScript numbers cannot hold exactly become decimal strings. */
export function normaliseBigInt(value: bigint): number | string {
  if (value <= MAX_SAFE_INTEGER_BIG && value >= -MAX_SAFE_INTEGER_BIG) return Number(value);
  return value.toString();
}

/** A Date as the canonical timestamp string. */
export function isoTimestamp(date: Date): string {
  return date.toISOString();
}

export function normaliseDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}
