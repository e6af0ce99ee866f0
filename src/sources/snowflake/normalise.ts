import type { Column } from 'snowflake-sdk';
import { normaliseBigInt, normaliseDouble, type JsonValue, type Value } from '../../core/values.ts';
import { InexactJsonNumber, inexactJsonNumberError } from '../normalise/json.ts';
import { SNOWFLAKE_JSON_AS_TEXT } from './errors.ts';

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
      return (value) => {
        // The driver's VARIANT parser (sdk.ts) leaves this in place of a document it would round.
        if (value instanceof InexactJsonNumber) throw inexactJsonNumberError(column.getName(), value, SNOWFLAKE_JSON_AS_TEXT);
        return jsonValue(value);
      };
    default:
      // TEXT, and types Ebb has no special rule for (GEOGRAPHY arrives as GeoJSON text or objects).
      return (value) => (typeof value === 'string' ? value : jsonValue(value));
  }
}

/** "-12.5" at scale 2 → "-12.50": exactly `scale` fraction digits, by string arithmetic only. */
export function decimalWithScale(text: string, scale: number): string {
  // Snowflake already prints exactly `scale` digits; this check is the hot path on large reads.
  const dot = text.indexOf('.');
  if (dot > 0 && text.length - dot - 1 === scale && text.charCodeAt(dot - 1) !== 45 /* '-' */ && text.charCodeAt(0) !== 43 /* '+' */) {
    return text;
  }
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

const MS_PER_DAY = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Date part per day number: rows of one read mostly share few days, and `Date` is the slow part. */
const dayCache = new Map<number, string>();

function isoDateFromEpochDay(days: number): string {
  const day = Math.floor(days);
  let text = dayCache.get(day);
  if (text === undefined) {
    const iso = new Date(day * MS_PER_DAY).toISOString();
    text = iso.slice(0, iso.indexOf('T'));
    if (dayCache.size >= 4096) dayCache.clear();
    dayCache.set(day, text);
  }
  return text;
}

/** Epoch seconds + nanoseconds (never negative) → `YYYY-MM-DDTHH:mm:ss.sssZ`, sub-millisecond digits truncated. */
function isoTimestamp(value: unknown): string {
  const date = value as SnowflakeDate;
  const millis = date.getEpochSeconds() * 1000 + Math.floor(date.getNanoSeconds() / 1_000_000);
  if (!(Math.abs(millis) <= 8.64e15)) throw new RangeError(`timestamp ${millis} ms is outside the range a JavaScript Date can represent`);
  const days = Math.floor(millis / MS_PER_DAY);
  let rest = millis - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${isoDateFromEpochDay(days)}T${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}Z`;
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
