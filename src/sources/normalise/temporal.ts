/**
 * Dates, timestamps and times in the canonical shapes of core/values.ts, from the raw forms
 * warehouses hand out (epoch counts or text). Sources call these per value on millions of rows,
 * so the hot paths avoid `Date` objects: the date part of a timestamp is cached per day.
 */

const MS_PER_DAY = 86_400_000;
/** The range of a JavaScript Date (±100,000,000 days around 1970). */
const MAX_DATE_MS = 8.64e15;

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `YYYY-MM-DD` for a day since 1970-01-01; years outside 0000–9999 use ISO's expanded form (`+010000`). */
export function isoDateFromEpochDays(days: number): string {
  const cached = dayCache.get(days);
  if (cached !== undefined) return cached;
  const text = new Date(days * MS_PER_DAY).toISOString();
  const date = text.slice(0, text.indexOf('T'));
  if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
  dayCache.set(days, date);
  return date;
}
const DAY_CACHE_LIMIT = 4096;
const dayCache = new Map<number, string>();

/** `YYYY-MM-DDTHH:mm:ss.sssZ` for milliseconds since the epoch (UTC). */
export function isoTimestampFromEpochMillis(ms: number): string {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw new RangeError(`timestamp ${ms} ms is outside the range a JavaScript Date can represent`);
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${isoDateFromEpochDays(days)}T${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}

/**
 * Microseconds since the epoch as a canonical timestamp, sub-millisecond digits truncated (floor,
 * so pre-1970 instants truncate the same way their text does).
 */
export function isoTimestampFromEpochMicros(micros: bigint): string {
  const asNumber = Number(micros);
  if (Number.isSafeInteger(asNumber)) return isoTimestampFromEpochMillis(floorDiv(asNumber, 1000));
  const quotient = micros / 1000n;
  return isoTimestampFromEpochMillis(Number(micros % 1000n < 0n ? quotient - 1n : quotient));
}

/** Floor division of a safe integer; exact, unlike Math.floor(n / d) near 2^53. */
export function floorDiv(value: number, divisor: number): number {
  const remainder = value % divisor;
  return (value - remainder) / divisor - (remainder < 0 ? 1 : 0);
}

/** `HH:mm:ss`, plus `.ffffff` only when the fraction is non-zero, from microseconds since midnight. */
export function timeOfDayFromMicros(micros: number): string {
  const totalSeconds = Math.floor(micros / 1_000_000);
  const fraction = micros - totalSeconds * 1_000_000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const base = `${PAD2[hours] ?? String(hours)}:${PAD2[minutes]}:${PAD2[totalSeconds % 60]}`;
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}

/** A proleptic Gregorian calendar date (astronomical year: 1 BC is year 0) as a canonical date. */
export function isoDateFromParts(year: number, month: number, day: number): string {
  const monthDay = `${PAD2[month]}-${PAD2[day]}`;
  if (year >= 0 && year <= 9999) return `${String(year).padStart(4, '0')}-${monthDay}`;
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}-${monthDay}`;
}

/** Milliseconds since the epoch of a UTC wall-clock time; unlike Date.UTC, years 0–99 are not shifted to 19xx. */
export function epochMillisFromParts(year: number, month: number, day: number, hours: number, minutes: number, seconds: number, millis: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, millis);
  return date.getTime();
}
