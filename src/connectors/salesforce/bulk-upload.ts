import type { Batch, ItemResult } from '../connector.ts';
import { csvCell, writeCsv } from './bulk-csv.ts';
import { fieldsOf, matchValue, missingMatchKey, missingRemoteId } from './payload.ts';

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
 * Builds the CSV of a bulk job. The header is the union of every row's fields (jsforce would take the
 * first record's keys only and silently drop the rest); absent cells stay empty ("leave as is") while
 * null becomes #N/A ("clear").
 */
export function buildUpload(batch: Batch): BulkUpload {
  const operation = OPERATION[batch.operation];
  const keyColumn = operation === 'update' || operation === 'delete' ? 'Id' : batch.matchOn;
  const upload: BulkUpload = { operation, keyColumn, csv: '', sent: [], results: [] };
  if (operation === 'upsert') upload.externalIdFieldName = batch.matchOn;
  const columns = new Set<string>([keyColumn]);
  const rows: Array<{ key: string; fields: Record<string, string | number | boolean | null> }> = [];
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
    const fields = operation === 'delete' ? {} : fieldsOf(item);
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
