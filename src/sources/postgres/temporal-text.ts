import { assembleTimestamp, epochMillisFromParts, isoDateFromParts, isoTimestampFromEpochMillis } from '../normalise/temporal.ts';

/**
 * Postgres date/time text (the session runs with DateStyle ISO and TimeZone UTC, see session.ts)
 * in the canonical shapes of core/values.ts. The common case, a four-digit AD year printed in
 * UTC, is read digit by digit into the shared pieces of `assembleTimestamp` (no substrings kept
 * alive); everything else (BC, five-digit years, offsets) goes through parts.
 */

const TIMESTAMP_PATTERN = /^(\d+)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;
const DATE_PATTERN = /^(\d+)-(\d\d)-(\d\d)( BC)?$/;

/** `timestamp` (without zone) text, read as UTC. */
export function timestampFromText(text: string): string {
  // "2024-03-10 12:34:56" (19) up to "2024-03-10 12:34:56.789123" (26); " BC" years end in a letter.
  const length = text.length;
  if (length >= 19 && length <= 26 && text.charCodeAt(4) === 45 /* - */ && text.charCodeAt(10) === 32 && isDigit(text.charCodeAt(length - 1))) {
    return fastTimestamp(text, length);
  }
  return timestampFromParts(text);
}

/** `timestamptz` text; with TimeZone UTC it ends in "+00", but any offset is honoured. */
export function timestamptzFromText(text: string): string {
  const length = text.length;
  if (length >= 22 && length <= 29 && text.endsWith('+00') && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32) {
    return fastTimestamp(text, length - 3);
  }
  return timestampFromParts(text);
}

/** `date` text: "2024-02-29", "0044-03-15 BC", "infinity". */
export function dateFromText(text: string): string {
  if (text.length === 10 && text.charCodeAt(4) === 45) return text;
  const match = DATE_PATTERN.exec(text);
  if (!match) return text; // 'infinity' / '-infinity'
  const [, year, month, day, bc] = match;
  return isoDateFromParts(astronomicalYear(Number(year), bc !== undefined), Number(month), Number(day));
}

/** `time` text: Postgres trims trailing fraction zeros ("12:34:56.5"); the canonical form has six. */
export function timeFromText(text: string): string {
  if (text.length <= 8) return text;
  const fraction = text.slice(9);
  return /^0*$/.test(fraction) ? text.slice(0, 8) : `${text.slice(0, 8)}.${fraction.padEnd(6, '0')}`;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff]" ending at `end`, validated by the callers' shape checks. */
function fastTimestamp(text: string, end: number): string {
  const secondOfDay = twoDigits(text, 11) * 3600 + twoDigits(text, 14) * 60 + twoDigits(text, 17);
  let millis = 0;
  for (let index = 20; index < 23; index++) millis = millis * 10 + (index < end ? text.charCodeAt(index) - 48 : 0);
  return assembleTimestamp(datePrefixOf(text), secondOfDay, millis);
}

function twoDigits(text: string, index: number): number {
  return (text.charCodeAt(index) - 48) * 10 + text.charCodeAt(index + 1) - 48;
}

// Rows of one batch mostly share dates, so the last date prefix is remembered.
let lastDate = '\0';
let lastDatePrefix = '';
function datePrefixOf(text: string): string {
  if (!text.startsWith(lastDate)) {
    lastDate = text.slice(0, 10);
    lastDatePrefix = `${lastDate}T`;
  }
  return lastDatePrefix;
}

function astronomicalYear(year: number, bc: boolean): number {
  return bc ? 1 - year : year;
}

function timestampFromParts(text: string): string {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return text; // 'infinity' / '-infinity'
  const [, year, month, day, hours, minutes, seconds, fraction, sign, offsetHours, offsetMinutes, offsetSeconds, bc] = match;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const wallClock = epochMillisFromParts(
    astronomicalYear(Number(year), bc !== undefined),
    Number(month),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
    millis,
  );
  const offsetMs = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * ((Number(offsetHours) * 60 + Number(offsetMinutes ?? 0)) * 60 + Number(offsetSeconds ?? 0)) * 1000;
  return isoTimestampFromEpochMillis(wallClock - offsetMs);
}
