import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBVariantValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { hexText, scaledIntegerText } from './decimal-text.ts';

/**
 * VARIANT / OBJECT / ARRAY cells are JSON text. Snowflake pretty-prints them with two-space
 * indentation; large integers keep all their digits (JSON.stringify cannot write a bigint), so the
 * text is built here rather than with JSON.stringify.
 */
export function jsonText(value: DuckDBValue): string {
  return write(value, '');
}

function write(value: DuckDBValue, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  // Snowflake's VARIANT can hold NaN, but JSON cannot: the closest JSON the driver can parse is null.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof DuckDBVariantValue) return write(value.value, indent);
  if (value instanceof DuckDBDecimalValue) return scaledIntegerText(value.value, value.scale);
  if (value instanceof DuckDBBlobValue) return JSON.stringify(hexText(value.bytes));
  if (value instanceof DuckDBDateValue) return JSON.stringify(value.toString());
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return writeArray(value.items, indent);
  }
  if (value instanceof DuckDBStructValue) return writeObject(Object.entries(value.entries), indent);
  if (value instanceof DuckDBMapValue) {
    return writeObject(value.entries.map((entry) => [keyText(entry.key), entry.value] as const), indent);
  }
  // Timestamps, times, UUIDs, intervals: Snowflake stores them in a VARIANT as their text form.
  return JSON.stringify(String(value));
}

function keyText(key: DuckDBValue): string {
  return typeof key === 'string' ? key : String(key);
}

function writeArray(items: readonly DuckDBValue[], indent: string): string {
  if (items.length === 0) return '[]';
  const inner = `${indent}  `;
  return `[\n${items.map((item) => inner + write(item, inner)).join(',\n')}\n${indent}]`;
}

function writeObject(entries: readonly (readonly [string, DuckDBValue])[], indent: string): string {
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${write(item, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
