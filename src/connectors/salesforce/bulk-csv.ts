import { TerminalError } from '../../core/errors.ts';
import type { Value } from '../../core/values.ts';

/** Bulk API 2.0's "clear this field"; an empty cell means "leave it as it is". */
export const BULK_NULL = '#N/A';

/** One cell of an upload. Null and '' clear the field, as they do through the REST API. */
export function csvCell(value: Value | undefined): string {
  if (value === undefined) return '';
  if (value === null || value === '') return BULK_NULL;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Header names must be plain field API names: the result files add `sf__Id`, `sf__Created` and
 * `sf__Error` columns, so an uploaded `sf__` column would be ambiguous when reading results back.
 */
export function checkHeader(header: readonly string[]): void {
  for (const name of header) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new TerminalError(`"${name}" is not a Salesforce field API name; fix the mapping`);
    if (/^sf__/i.test(name)) throw new TerminalError(`field "${name}" collides with Bulk API result columns (sf__*); it cannot be mapped`);
  }
  if (new Set(header.map((h) => h.toLowerCase())).size !== header.length) throw new TerminalError(`duplicate columns in ${header.join(', ')}`);
}

export function writeCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  checkHeader(header);
  let out = `${header.join(',')}\n`;
  for (const row of rows) out += `${row.map(quote).join(',')}\n`;
  return out;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** RFC 4180 reader for the result files (quoted cells, doubled quotes, LF or CRLF). */
export function readCsv(text: string): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else quoted = false;
      continue;
    }
    started = true;
    if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      started = false;
    } else cell += c;
  }
  if (quoted) throw new TerminalError('a Bulk API result file ended inside a quoted value; the result is incomplete');
  if (started) {
    record.push(cell);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { header, rows };
}
