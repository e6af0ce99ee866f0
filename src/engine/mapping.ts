import { canonicalJson } from '../core/fingerprint.ts';
import type { FieldMapping } from '../core/sync.ts';
import type { Row, Value } from '../core/values.ts';

/**
 * Turns a model row into the canonical JSON of its mapped payload, fast: the field order is sorted
 * once, and each key's JSON prefix is precomputed, because this runs for every model row of every plan.
 */
export function payloadEncoder(mapping: readonly FieldMapping[]): (row: Row) => string {
  const sorted = [...mapping].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const prefixes = sorted.map((m, i) => `${i === 0 ? '{' : ','}${JSON.stringify(m.to)}:`);
  const columns = sorted.map((m) => m.from);
  return (row) => {
    let json = '';
    for (let i = 0; i < columns.length; i += 1) {
      const value = row[columns[i]!];
      json += prefixes[i]! + encodeValue(value === undefined ? null : value);
    }
    return columns.length === 0 ? '{}' : `${json}}`;
  };
}

/** Characters JSON must escape; strings without them (nearly all) are quoted directly. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

function encodeValue(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'object') return canonicalJson(value);
  return JSON.stringify(value);
}

/** The row key as a string; null when the key column is null or missing. */
export function keyOf(row: Row, keyColumn: string): string | null {
  const value = row[keyColumn];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}

/** Model columns the mapping or key need that the model did not return. */
export function missingColumns(row: Row, mapping: readonly FieldMapping[], keyColumn: string): string[] {
  const needed = new Set([keyColumn, ...mapping.map((m) => m.from)]);
  return [...needed].filter((column) => !(column in row));
}
