import { normaliseBigInt } from '../../core/values.ts';

/**
 * Exact numbers in the canonical shapes of core/values.ts: integers as numbers while they are
 * exactly representable, otherwise decimal strings; decimals with scale as strings with exactly
 * `scale` fraction digits. Nothing here goes through a float.
 */

/** An integer held as a (possibly unsafe) JS number read from a 64-bit slot, or as a bigint. */
export function normaliseInteger(value: bigint): number | string {
  const asNumber = Number(value);
  // Number() rounds values beyond 2^53, and a rounded value is never a safe integer.
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

/** `value / 10^scale` as canonical text; scale 0 is an integer and follows the integer rule. */
export function formatScaledDecimal(value: bigint | number, scale: number): number | string {
  if (scale === 0) return typeof value === 'bigint' ? normaliseInteger(value) : value;
  const negative = value < 0;
  let digits = (negative ? -value : value).toString();
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const split = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, split)}.${digits.slice(split)}`;
}

/** Integer text (`-9223372036854775808`) as a number when exact, else the text itself. */
export function normaliseIntegerText(text: string): number | string {
  // Fifteen digits (plus a sign) always fit in a double exactly.
  if (text.length < 16) return Number(text);
  return normaliseBigInt(BigInt(text));
}

/**
 * Decimal text as the warehouse printed it (`12.50`, `-0.05`, `NaN`). Text that carries a scale
 * is already canonical; text without a fraction is an integer.
 */
export function normaliseDecimalText(text: string): number | string {
  if (text.includes('.')) return text;
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return text;
  return normaliseIntegerText(text);
}

/**
 * A 32-bit float widened to a double prints as 1.100000023841858; warehouses that print REAL
 * (Postgres) give "1.1". The shortest decimal that rounds back to the same float32 matches them.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let precision = 1; precision < 10; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
