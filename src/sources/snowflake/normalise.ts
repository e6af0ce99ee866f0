import type { Column } from 'snowflake-sdk';
import { normaliseBigInt, normaliseDouble, type JsonValue, type Value } from '../../core/values.ts';

/**
 * Converts the driver's cell values to the canonical shapes of core/values.ts. Statements are run
 * with `fetchAsString: ['Number']`, so NUMBER and FLOAT cells arrive as Snowflake's own text (no
 * float rounding); dates and timestamps arrive as the driver's Date objects, whose epoch seconds
 * and nanoseconds are exact; TIME arrives as text in the TIME_OUTPUT_FORMAT the read asks for.
 */
export type CellConverter = (value: unknown) => Value;

/** Snowflake's own type name for a column, as `ebb validate` shows it. */
export function snowflakeTypeName(column: Column): string {
  const type = column.getType().toLowerCase();
  switch (type) {
    case 'fixed': return `NUMBER(${column.getPrecision()},${column.getScale()})`;
    case 'real': return 'FLOAT';
    case 'text': return 'VARCHAR';
    default: return type.toUpperCase();
  }
}

export function cellConverter(column: Column): CellConverter {
  const convert = nonNullConverter(column);
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function nonNullConverter(column: Column): CellConverter {
  switch (column.getType().toLowerCase()) {
    case 'fixed': {
      const scale = column.getScale();
      return scale > 0 ? (value) => decimalWithScale(String(value), scale) : (value) => integerFromText(String(value));
    }
    case 'real':
      return (value) => normaliseDouble(realFromText(String(value)));
    case 'boolean':
      return (value) => value === true || value === 'TRUE' || value === '1';
    case 'date':
      return (value) => isoDateFromEpochDay(epochSecondsOf(value) / 86_400);
    case 'timestamp_ntz': case 'timestamp_ltz': case 'timestamp_tz':
      return (value) => isoTimestamp(value);
    case 'time':
      return (value) => timeOfDay(String(value));
    case 'binary':
      return (value) => (Buffer.isBuffer(value) ? value.toString('base64') : Buffer.from(String(value), 'hex').toString('base64'));
    case 'variant': case 'object': case 'array': case 'map':
      return (value) => jsonValue(value);
    default:
      // TEXT, and types Ebb has no special rule for (GEOGRAPHY arrives as GeoJSON text or objects).
      return (value) => (typeof value === 'string' ? value : jsonValue(value));
  }
}

/** "-12.5" at scale 2 → "-12.50": exactly `scale` fraction digits, by string arithmetic only. */
export function decimalWithScale(text: string, scale: number): string {
  const negative = text.startsWith('-');
  const unsigned = negative || text.startsWith('+') ? text.slice(1) : text;
  const [whole = '', fraction = ''] = unsigned.split('.');
  const digits = `${whole === '' ? '0' : whole}.${fraction.padEnd(scale, '0').slice(0, scale)}`;
  const isZero = /^[0.]*$/.test(digits);
  return negative && !isZero ? `-${digits}` : digits;
}

/** Integers beyond ±(2^53−1) stay exact as decimal strings. */
export function integerFromText(text: string): number | string {
  return normaliseBigInt(BigInt(text.includes('.') ? text.slice(0, text.indexOf('.')) : text));
}

function realFromText(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return Number(text);
}

interface SnowflakeDate {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
}

function epochSecondsOf(value: unknown): number {
  return (value as SnowflakeDate).getEpochSeconds();
}

function isoDateFromEpochDay(days: number): string {
  const text = new Date(Math.floor(days) * 86_400_000).toISOString();
  return text.slice(0, text.indexOf('T'));
}

/** Epoch seconds + nanoseconds (never negative) → milliseconds, sub-millisecond digits truncated. */
function isoTimestamp(value: unknown): string {
  const date = value as SnowflakeDate;
  const millis = date.getEpochSeconds() * 1000 + Math.floor(date.getNanoSeconds() / 1_000_000);
  return new Date(millis).toISOString();
}

/** "12:34:56.500000000" → "12:34:56.500000"; a zero fraction is dropped. */
export function timeOfDay(text: string): string {
  const [clock = text, fraction = ''] = text.split('.');
  const micros = fraction.padEnd(6, '0').slice(0, 6);
  return /^0*$/.test(micros) ? clock : `${clock}.${micros}`;
}

/** Parsed VARIANT values are plain JSON already; structured types may carry Maps, Dates or Buffers. */
function jsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : normaliseDouble(value);
  if (typeof value === 'bigint') return normaliseBigInt(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [String(key), jsonValue(item)]));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, jsonValue(item)]));
}
