import type { Value } from '../../core/values.ts';
import type { Batch, BatchItem, ItemResult } from '../connector.ts';
import { rowFailure } from './row-errors.ts';

/** Keys the connector sets itself; a mapping must not smuggle them in. */
const RESERVED = new Set(['id', 'attributes', 'type']);

/** Salesforce fields hold scalars; JSON values from the model go in as their JSON text. */
export function toFieldValue(value: Value): string | number | boolean | null {
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function fieldsOf(item: BatchItem): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(item.fields)) {
    if (!RESERVED.has(name.toLowerCase())) out[name] = toFieldValue(value);
  }
  return out;
}

/** The External ID value an upsert addresses by: the mapped matchOn field, else the row key. */
export function matchValue(batch: Batch, item: BatchItem): string | number | null {
  const value = item.fields[batch.matchOn] ?? item.key;
  if (value === null || value === '' || typeof value === 'object' || typeof value === 'boolean') return null;
  return value;
}

export function missingMatchKey(batch: Batch): ItemResult {
  return rowFailure('MISSING_MATCH_KEY', `this row has no value for ${batch.object}.${batch.matchOn} (matchOn), so Salesforce cannot address it; fix the model so every row has a key`, [batch.matchOn]);
}

/** Update and delete address a stored Salesforce Id; Salesforce has no update-by-External-ID without upsert. */
export function missingRemoteId(batch: Batch): ItemResult {
  const verb = batch.operation === 'delete' ? 'delete' : 'update';
  return rowFailure(
    'MISSING_REMOTE_ID',
    `cannot ${verb} this ${batch.object}: Ebb has no stored Salesforce Id for it yet, and Salesforce can only ${verb} by Id. ` +
      `Use mode 'upsert' (matches on ${batch.matchOn}), or run a sync that creates or upserts the record first so its Id is recorded.`,
  );
}
