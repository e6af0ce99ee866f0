import type { Batch, ItemResult } from '../connector.ts';
import { BULK_NULL, csvCell, writeCsv } from './bulk-csv.ts';
import { fieldsOf, matchValue, missingMatchKey, missingRemoteId, type FieldValue } from './payload.ts';
import { rowFailure } from './row-errors.ts';

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface BulkUpload {
  operation: BulkOperation;
  externalIdFieldName?: string;
  /** The column that ties a result row to its input: the External ID for upsert/insert, Id for update/delete. */
  keyColumn: string;
  csv: string;
  /** Input index and key cell of every row uploaded. */
  sent: Array<{ index: number; key: string }>;
  /** Rows that could not be uploaded, already answered. */
  results: Array<ItemResult | undefined>;
}

const OPERATION: Record<Batch['operation'], BulkOperation> = { upsert: 'upsert', create: 'insert', update: 'update', delete: 'delete' };

/**
 * Bulk API 2.0 reads a cell holding exactly `#N/A` (cells are not trimmed) as "set to null" and has no
 * escape for the text itself, so such a row would clear the field while the job reports success. It
 * is answered here instead, unsent; through sObject Collections the same value is stored as text.
 */
function naTextFailure(batch: Batch, fields: readonly string[]): ItemResult {
  return rowFailure(
    'NA_TEXT_IN_BULK',
    `the text "${BULK_NULL}" cannot be sent through Bulk API 2.0, which reads it as "clear this field" and has no way to escape it, so this row was not sent. ` +
      `It is proposed again next run; runs with fewer changes than the connection's bulkThreshold go through sObject Collections, which store "${BULK_NULL}" as text. ` +
      `To send it now, raise bulkThreshold above this run's number of ${batch.operation}s, or change the value in the model (NULL if it means "no value").`,
    fields,
  );
}

/**
 * Builds the CSV of a bulk job. The header is the union of every row's fields (jsforce would take the
 * first record's keys only and silently drop the rest); absent cells stay empty ("leave as is") while
 * null becomes #N/A ("clear").
 */
export function buildUpload(batch: Batch, multiPicklists: ReadonlySet<string> = new Set()): BulkUpload {
  const operation = OPERATION[batch.operation];
  const keyColumn = operation === 'update' || operation === 'delete' ? 'Id' : batch.matchOn;
  const upload: BulkUpload = { operation, keyColumn, csv: '', sent: [], results: [] };
  if (operation === 'upsert') upload.externalIdFieldName = batch.matchOn;
  const columns = new Set<string>([keyColumn]);
  const rows: Array<{ key: string; fields: Record<string, FieldValue> }> = [];
  batch.items.forEach((item, index) => {
    let key: string | null;
    if (keyColumn === 'Id') {
      key = item.remoteId;
      if (!key) upload.results[index] = missingRemoteId(batch);
    } else {
      const value = matchValue(batch, item);
      key = value === null ? null : csvCell(value);
      if (key === null) upload.results[index] = missingMatchKey(batch);
    }
    if (key === null) return;
    const fields = operation === 'delete' ? {} : fieldsOf(batch, item, multiPicklists);
    const naText = Object.keys(fields).filter((name) => fields[name] === BULK_NULL);
    if (key === BULK_NULL && !naText.includes(keyColumn)) naText.unshift(keyColumn);
    if (naText.length > 0) {
      upload.results[index] = naTextFailure(batch, naText);
      return;
    }
    for (const name of Object.keys(fields)) columns.add(name);
    upload.sent.push({ index, key });
    rows.push({ key, fields });
  });
  const header = [...columns];
  upload.csv = writeCsv(
    header,
    rows.map(({ key, fields }) => header.map((name) => (name === keyColumn ? key : csvCell(fields[name])))),
  );
  return upload;
}
