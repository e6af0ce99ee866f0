import { canonicalJson } from '../core/fingerprint.ts';
import { matchKey } from '../core/match-key.ts';
import { RowCheckHasher } from '../core/row-check.ts';
import type { FieldMapping } from '../core/sync.ts';
import type { Row, Value } from '../core/values.ts';

/**
 * Turns a model row into the canonical JSON of its mapped payload, fast: the field order is sorted
 * once, and each key's JSON prefix is precomputed, because this runs for every model row of every plan.
 */
export function payloadEncoder(mapping: readonly FieldMapping[]): (row: Row) => string {
  const { prefixes, columns } = payloadLayout(mapping);
  return (row) => {
    let json = '';
    for (let i = 0; i < columns.length; i += 1) {
      const value = row[columns[i]!];
      json += prefixes[i]! + encodeValue(value === undefined ? null : value);
    }
    return columns.length === 0 ? '{}' : `${json}}`;
  };
}

/**
 * The row check (core/row-check.ts) of a model row: the same text `payloadEncoder` would produce,
 * hashed piece by piece as the values are read, so an unchanged row never has its payload built.
 */
export function rowChecker(mapping: readonly FieldMapping[]): (key: string, row: Row) => number {
  const { prefixes, columns } = payloadLayout(mapping);
  // The JSON between values, precomputed for each combination of "the value before / this value is a
  // plain string", so a plain string's quotes ride along with the pieces around it: 2 pieces per field.
  const openers: string[] = [];
  prefixes.forEach((prefix, i) => {
    for (const before of ['', '"']) for (const quote of ['', '"']) openers.push(`${before}${i === 0 ? '\u0000' : ''}${prefix}${quote}`);
  });
  const closers = [columns.length === 0 ? '\u0000{}' : '}', '"}'];
  const hasher = new RowCheckHasher();
  const readValues = columnReader(columns);
  const values: Value[] = new Array(columns.length).fill(null);
  return (key, row) => {
    hasher.begin().text(key);
    readValues(row, values);
    let quoted = 0;
    for (let i = 0; i < columns.length; i += 1) {
      const value = values[i];
      // A string is tried as plain (quoted as is); at a character JSON escapes, it is hashed again escaped.
      if (typeof value === 'string' && hasher.mark().text(openers[i * 4 + quoted * 2 + 1]!).plainText(value)) {
        quoted = 1;
        continue;
      }
      if (typeof value === 'string') hasher.rewind();
      hasher.text(openers[i * 4 + quoted * 2]!).text(encodeValue(value === undefined ? null : value));
      quoted = 0;
    }
    return hasher.text(closers[quoted]!).end();
  };
}

/**
 * Copies a row's mapped columns into `values`, in order. Generated with the names as literals, like the
 * row factory (sources/normalise/row-factory.ts): each read is then a monomorphic property load, where
 * `row[columns[i]]` in a loop is a megamorphic keyed one, about five times slower.
 */
function columnReader(columns: readonly string[]): (row: Row, values: Value[]) => void {
  const reads = columns.map((column, i) => `values[${i}] = row[${JSON.stringify(column)}];`);
  return new Function('row', 'values', reads.join('\n')) as (row: Row, values: Value[]) => void;
}

/** Payload fields sorted once (canonical order), each with its JSON prefix (`{"a":` then `,"b":`). */
function payloadLayout(mapping: readonly FieldMapping[]): { prefixes: string[]; columns: string[] } {
  const sorted = [...mapping].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { prefixes: sorted.map((m, i) => `${i === 0 ? '{' : ','}${JSON.stringify(m.to)}:`), columns: sorted.map((m) => m.from) };
}

/** Characters JSON must escape; strings without them (nearly all) are quoted directly. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

function encodeValue(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'object') return canonicalJson(value);
  // What JSON.stringify gives for numbers and booleans, without its generic path (a fifth of the checker's time).
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return value ? 'true' : 'false';
}

/** The row key as a string; null when the key column is null or missing. */
export function keyOf(row: Row, keyColumn: string): string | null {
  const value = row[keyColumn];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}

/** `keyOf`, as the destination compares keys (core/match-key.ts). */
export function matchKeyReader(keyColumn: string, ignoreCase: boolean): (row: Row) => string | null {
  if (!ignoreCase) return (row) => keyOf(row, keyColumn);
  return (row) => {
    const key = keyOf(row, keyColumn);
    return key === null ? null : matchKey(key, true);
  };
}

/** Model columns the mapping or key need that the model did not return. */
export function missingColumns(row: Row, mapping: readonly FieldMapping[], keyColumn: string): string[] {
  const needed = new Set([keyColumn, ...mapping.map((m) => m.from)]);
  return [...needed].filter((column) => !(column in row));
}
