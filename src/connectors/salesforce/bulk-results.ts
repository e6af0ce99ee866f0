import { TerminalError } from '../../core/errors.ts';
import type { ItemResult } from '../connector.ts';
import type { CsvTable } from './bulk-csv.ts';
import type { BulkUpload } from './bulk-upload.ts';
import { rowFailure } from './row-errors.ts';

/** `CODE:message:Field1,Field2 --`, the sf__Error cell of failedResults. */
export function parseBulkError(cell: string): { code: string; message: string; fields: string[] } {
  const text = cell.replace(/\s*--\s*$/, '');
  const colon = text.indexOf(':');
  const code = text.slice(0, Math.max(colon, 0));
  if (!/^[A-Z][A-Z0-9_]*$/.test(code)) return { code: 'BULK_ERROR', message: text, fields: [] };
  const rest = text.slice(colon + 1);
  const last = rest.lastIndexOf(':');
  const tail = rest.slice(last + 1);
  if (last < 0 || !/^[A-Za-z0-9_, ]*$/.test(tail)) return { code, message: rest.trim(), fields: [] };
  return { code, message: rest.slice(0, last).trim(), fields: tail.split(',').map((f) => f.trim()).filter(Boolean) };
}

export interface JobOutcome {
  jobId: string;
  state: string;
  successful: CsvTable;
  failed: CsvTable;
  unprocessed: CsvTable;
}

function column(table: CsvTable, name: string, file: string): number {
  const index = table.header.indexOf(name);
  if (index < 0 && table.rows.length > 0) throw new TerminalError(`Bulk ${file} has no ${name} column (header: ${table.header.join(', ')}); its rows cannot be matched to the input`);
  return index;
}

/**
 * Maps every result row back to its input row by the key column (result order is not guaranteed)
 * and proves that successful + failed + unprocessed accounts for every row uploaded, each exactly once.
 */
export function correlateBulkResults(upload: BulkUpload, outcome: JobOutcome): Array<ItemResult | undefined> {
  const results = [...upload.results];
  const pending = new Map<string, number[]>();
  for (const { index, key } of upload.sent) pending.set(key, [...(pending.get(key) ?? []), index]);
  const unknown: string[] = [];
  const claim = (key: string, result: ItemResult): void => {
    const index = pending.get(key)?.shift();
    if (index === undefined) unknown.push(key);
    else results[index] = result;
  };

  const { successful, failed, unprocessed } = outcome;
  const sKey = column(successful, upload.keyColumn, 'successfulResults');
  const sId = column(successful, 'sf__Id', 'successfulResults');
  for (const row of successful.rows) claim(row[sKey] ?? '', { status: 'ok', remoteId: row[sId] || (upload.keyColumn === 'Id' ? (row[sKey] ?? null) : null) });
  const fKey = column(failed, upload.keyColumn, 'failedResults');
  const fError = column(failed, 'sf__Error', 'failedResults');
  for (const row of failed.rows) {
    const error = parseBulkError(row[fError] ?? '');
    claim(row[fKey] ?? '', rowFailure(error.code, error.message, error.fields));
  }
  const uKey = column(unprocessed, upload.keyColumn, 'unprocessedrecords');
  const notReached = `Bulk job ${outcome.jobId} ended ${outcome.state} before processing this row; nothing was written and it stays pending for the next run`;
  for (const row of unprocessed.rows) claim(row[uKey] ?? '', rowFailure('UNPROCESSED', notReached));

  const missing = [...pending.entries()].flatMap(([key, indexes]) => indexes.map(() => key));
  if (missing.length > 0 || unknown.length > 0) {
    const counts = `successful ${successful.rows.length} + failed ${failed.rows.length} + unprocessed ${unprocessed.rows.length} = ${successful.rows.length + failed.rows.length + unprocessed.rows.length}, but ${upload.sent.length} rows were uploaded`;
    const sample = (keys: string[]) => `${keys.slice(0, 20).join(', ')}${keys.length > 20 ? ` … (${keys.length} in all)` : ''}`;
    throw new TerminalError(
      `Bulk job ${outcome.jobId} did not account for every row: ${counts}.` +
        (missing.length > 0 ? ` No result for ${upload.keyColumn} ${sample(missing)}.` : '') +
        (unknown.length > 0 ? ` Results for rows never uploaded or reported twice: ${sample(unknown)}.` : '') +
        ' Nothing from this batch is recorded as delivered; check the job in Salesforce (Setup → Bulk Data Load Jobs) before re-running.',
      { code: 'BULK_RESULTS_INCOMPLETE' },
    );
  }
  return results;
}
