import { SourceError } from '../../core/errors.ts';
import type { JsonValue } from '../../core/values.ts';

/**
 * JSON documents from JSON / JSONB / VARIANT columns, parsed without losing a number silently.
 * JSON.parse turns every number into a double: `{"order_id": 1234567890123456789}` would reach the
 * destination as 1234567890123456800. Such a document fails the read instead, naming the column,
 * the literal and how to have the warehouse return it as text.
 */

/** A key of an object or an index of an array, from the document's root to a value. */
export type JsonPath = readonly (string | number)[];

/** A number literal a JavaScript number cannot hold exactly, and where it is in its document. */
export class InexactJsonNumber {
  constructor(
    readonly literal: string,
    readonly path: JsonPath,
  ) {}

  /** What the destination would have received: JSON.stringify of the double (null for an overflow). */
  get rounded(): string {
    return JSON.stringify(Number(this.literal));
  }

  /** `$.items[0].id`; keys that are not plain names in brackets (`$["a b"]`). */
  get pathText(): string {
    return `$${this.path.map((step) => (typeof step === 'number' ? `[${step}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`)).join('')}`;
  }

  /** An integer literal (no fraction, no exponent). */
  get isInteger(): boolean {
    return /^-?\d+$/.test(this.literal);
  }
}

/**
 * JSON text as a JSON value, or the first number literal in it that a JavaScript number cannot hold
 * exactly. Returned, not thrown: some drivers call parsers where a throw is lost or misread, so the
 * source that knows the column turns it into an error (`inexactJsonNumberError`).
 * `exponents: false` is for text known to print numbers without one (Postgres' jsonb), which saves
 * looking for them. Throws JSON.parse's SyntaxError for text that is not JSON.
 */
export function parseJsonExactly(text: string, options?: { exponents?: boolean }): JsonValue | InexactJsonNumber {
  if (mayHoldInexactNumber(text, options?.exponents ?? true)) {
    const inexact = findInexactNumber(text);
    if (inexact) return inexact;
  }
  return JSON.parse(text) as JsonValue;
}

/**
 * Whether a number literal in the text, or something in a string that looks like one, is one a
 * double cannot hold. Sources call this on every JSON value of every row, so it does not read the
 * text through: only literals with 16 or more digits and points in a row (a double holds any 15
 * significant digits) or an exponent of three digits (only those reach past a double's range) can
 * be inexact. Long runs are found by looking at one character in sixteen, exponents by looking at
 * the `e`s; a run or exponent that does not start a value (`"order_id": "12345678901234567890"`,
 * an id kept as a string) is passed over, and one that does is checked on the spot. Only a literal
 * that fails that check costs a walk through the whole text (findInexactNumber), which tells
 * literals from look-alikes inside strings.
 */
export function mayHoldInexactNumber(text: string, exponents = true): boolean {
  const length = text.length;
  // Any 16 positions in a row include one of those probed.
  for (let probe = 15; probe < length; probe += 16) {
    if (!isDigitOrDot(text.charCodeAt(probe))) continue;
    let start = probe;
    while (start > 0 && isDigitOrDot(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < length && isDigitOrDot(text.charCodeAt(end))) end++;
    if (end - start >= 16 && !holdsValueAt(text, start)) return true;
    probe = end - 1;
  }
  return exponents && (hasInexactExponent(text, 'e') || hasInexactExponent(text, 'E'));
}

/** A digit, then `exponentMark`, an optional sign and three digits, in a literal a double cannot hold. */
function hasInexactExponent(text: string, exponentMark: string): boolean {
  for (let at = text.indexOf(exponentMark, 1); at !== -1; at = text.indexOf(exponentMark, at + 1)) {
    if (!isDigit(text.charCodeAt(at - 1))) continue;
    let digits = at + 1;
    const sign = text.charCodeAt(digits);
    if (sign === PLUS || sign === MINUS) digits++;
    if (!(isDigit(text.charCodeAt(digits)) && isDigit(text.charCodeAt(digits + 1)) && isDigit(text.charCodeAt(digits + 2)))) continue;
    let start = at - 1;
    while (start > 0 && isDigitOrDot(text.charCodeAt(start - 1))) start--;
    if (!holdsValueAt(text, start)) return true;
  }
  return false;
}

/**
 * False when the digits at `start` begin a value (only a minus and whitespace lie between them and
 * `:`, `,`, `[` or the text's start) whose literal a double cannot hold.
 */
function holdsValueAt(text: string, start: number): boolean {
  let before = start - 1;
  const negative = text.charCodeAt(before) === MINUS;
  if (negative) before--;
  while (before >= 0 && isWhitespace(text.charCodeAt(before))) before--;
  if (before >= 0) {
    const char = text.charCodeAt(before);
    if (char !== COLON && char !== COMMA && char !== OPEN_ARRAY) return true;
  }
  let end = start;
  while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
  return holdsExactly(text.slice(negative ? start - 1 : start, end));
}

/**
 * Walks the text token by token (strings skipped whole, so digits in them never count, keys kept
 * for the path) and returns the first number literal a double cannot hold (see holdsExactly).
 */
export function findInexactNumber(text: string): InexactJsonNumber | undefined {
  const containers: number[] = [];
  const path: (string | number)[] = [];
  let expectingKey = false;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === QUOTE) {
      const end = endOfString(text, index);
      // Kept quoted, and decoded only for the path of a literal found.
      if (expectingKey) path[path.length - 1] = text.slice(index, end);
      index = end;
      continue;
    }
    if (char === MINUS || (char >= ZERO && char <= NINE)) {
      let end = index + 1;
      let plain = true;
      for (let next = text.charCodeAt(end); end < text.length && isNumberChar(next); next = text.charCodeAt(++end)) {
        if (next === LOWER_E || next === UPPER_E) plain = false;
      }
      // Fifteen characters hold at most fifteen digits, which a double always round-trips. A lone
      // minus starts -Infinity in the non-strict JSON some warehouses print: not a literal here.
      if ((!plain || end - index > 15) && end - index > 1) {
        const literal = text.slice(index, end);
        if (!holdsExactly(literal)) return new InexactJsonNumber(literal, path.map((step) => (typeof step === 'string' ? decodeKey(step) : step)));
      }
      index = end;
      continue;
    }
    if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      containers.push(char);
      path.push(char === OPEN_OBJECT ? '' : 0);
      expectingKey = char === OPEN_OBJECT;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      containers.pop();
      path.pop();
      expectingKey = false;
    } else if (char === COMMA) {
      if (containers.at(-1) === OPEN_ARRAY) path[path.length - 1] = (path.at(-1) as number) + 1;
      else expectingKey = true;
    } else if (char === COLON) {
      expectingKey = false;
    }
    index++;
  }
  return undefined;
}

/**
 * Whether a literal's double carries all it says: reading it and printing the double with as many
 * significant digits as the literal has gives the same value. "10.10" is 10.1 and holds; so does
 * 9.264447646584949e9, a double as Snowflake prints them (16 digits where 15 would do). Integers
 * beyond 2^53 that no double holds (1234567890123456789, which becomes 1234567890123456800) do not,
 * nor do decimals with more digits than a double ever needs (0.10000000000000000001), nor values
 * beyond a double's range (1e400).
 */
export function holdsExactly(literal: string): boolean {
  const digits = significantDigits(literal);
  const exponentAt = exponentIndex(literal);
  const exponent = exponentAt < 0 ? 0 : Number(literal.slice(exponentAt + 1));
  // Fifteen digits always survive a double within its normal range (bounded by the literal's length).
  if (digits <= 15 && Math.abs(exponent) + literal.length <= 300) return true;
  if (digits > 17) return false;
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  if (digits === 0) return true;
  // The double printed the way the literal is (plain, or d.ddde±x), so most compare as text.
  if (exponentAt < 0) {
    const printed = value.toPrecision(digits);
    if (printed === literal) return true;
    return decimalValue(literal) === decimalValue(printed);
  }
  const printed = value.toExponential(digits - 1);
  const printedExponentAt = printed.indexOf('e');
  if (printed.slice(0, printedExponentAt) === literal.slice(0, exponentAt) && Number(printed.slice(printedExponentAt + 1)) === exponent) return true;
  return decimalValue(literal) === decimalValue(printed);
}

/**
 * How a source says "return it as text" in its own SQL, for the error's hint: the whole document
 * (always exact), and the one field, where the warehouse extracts it exactly.
 */
export interface JsonAsText {
  document(column: string): string;
  field(column: string, inexact: InexactJsonNumber): string | undefined;
}

export function inexactJsonNumberError(column: string, inexact: InexactJsonNumber, asText: JsonAsText, options: { nested?: boolean } = {}): SourceError {
  const where = inexact.path.length === 0 ? '' : ` at ${inexact.pathText}`;
  // In a list or array of JSON values the path starts at the value, not at the column.
  const what = options.nested ? 'a JSON value with the number' : 'the JSON number';
  const field = inexact.path.length === 0 || options.nested ? undefined : asText.field(column, inexact);
  const ways = [field && `that field with ${field}`, `the whole ${options.nested ? 'column' : 'document'} with ${asText.document(column)}`].filter(Boolean).join(', or ');
  return new SourceError(
    `column "${column}" holds ${what} ${inexact.literal}${where}, which a JavaScript number cannot hold exactly: it would reach the destination as ${inexact.rounded}. The read stops rather than send a changed value.\nHint: have the query return it as text, so it arrives exactly, as a string: ${ways}.`,
    { code: 'SOURCE_INEXACT_NUMBER' },
  );
}

/** A double-quoted SQL identifier when the name is not a plain lower-case one. */
export function sqlIdentifier(name: string, plain = /^[a-z_][a-z0-9_]*$/): string {
  return plain.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const LOWER_E = 0x65;
const UPPER_E = 0x45;

function isDigit(char: number): boolean {
  return char >= ZERO && char <= NINE;
}

function isDigitOrDot(char: number): boolean {
  return (char >= ZERO && char <= NINE) || char === DOT;
}

function isNumberChar(char: number): boolean {
  return (char >= ZERO && char <= NINE) || char === DOT || char === MINUS || char === PLUS || char === LOWER_E || char === UPPER_E;
}

function isWhitespace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

/** The index just past the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

function decodeKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}

/** Digits from the first non-zero one to the last non-zero one of the mantissa (0 for zero). */
function significantDigits(literal: string): number {
  let counted = 0;
  let lastNonZero = 0;
  for (let index = 0; index < literal.length; index++) {
    const char = literal.charCodeAt(index);
    if (char === LOWER_E || char === UPPER_E) break;
    if (char < ZERO || char > NINE) continue;
    if (counted > 0 || char !== ZERO) counted++;
    if (char !== ZERO) lastNonZero = counted;
  }
  return lastNonZero;
}

function exponentIndex(literal: string): number {
  const lower = literal.indexOf('e');
  return lower >= 0 ? lower : literal.indexOf('E');
}

/**
 * A decimal's value in one canonical spelling, `-<digits>e<point>` for 0.<digits> × 10^point, with
 * no leading or trailing zeros ("0" for zero, either sign), so two spellings compare as text.
 */
function decimalValue(text: string): string {
  const negative = text.charCodeAt(0) === MINUS;
  const exponentAt = exponentIndex(text);
  const mantissa = text.slice(negative ? 1 : 0, exponentAt < 0 ? text.length : exponentAt);
  const exponent = exponentAt < 0 ? 0 : Number(text.slice(exponentAt + 1));
  const dot = mantissa.indexOf('.');
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot);
  let digits = dot < 0 ? mantissa : whole + mantissa.slice(dot + 1);
  let point = whole.length + exponent;
  let leading = 0;
  while (digits.charCodeAt(leading) === ZERO) leading++;
  digits = digits.slice(leading);
  point -= leading;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === ZERO) end--;
  if (end === 0) return '0';
  return `${negative ? '-' : ''}${digits.slice(0, end)}e${point}`;
}
