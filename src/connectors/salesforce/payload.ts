import { TerminalError } from '../../core/errors.ts';
import type { Value } from '../../core/values.ts';
import type { Batch, BatchItem, ItemResult } from '../connector.ts';
import { rowFailure } from './row-errors.ts';

export type FieldValue = string | number | boolean | null;

/**
 * Why a mapping may not target this name, or null when it may. `attributes` is the REST record envelope
 * and `Id` the record's Salesforce Id, which the connector sets itself; Salesforce reads field names
 * ignoring case, so every spelling counts. `Type` is an ordinary field (Account.Type, Case.Type): the
 * record's own type travels nested, as `attributes.type`, so it never clashes.
 */
export function reservedFieldProblem(name: string): string | null {
  switch (name.toLowerCase()) {
    case 'id':
      return (
        `"${name}" cannot be mapped: it is the record's Salesforce Id, which Salesforce assigns on create and Ebb sends itself (from the snapshot) to update or delete. ` +
        'Remove it from the mapping; to reach existing records, map your key to an External ID field and use that field as destination.matchOn'
      );
    case 'attributes':
      return `"${name}" cannot be mapped: in the Salesforce REST API it is the record's envelope (attributes.type names the object), not a field. Remove it from the mapping or map to the field's API name`;
    default:
      return null;
  }
}

/**
 * A list of plain values as a multi-select picklist holds them: joined with ';', which separates values
 * (so no value may contain one); no values at all is null. Undefined when the list is not like that.
 */
function multiPicklistValue(list: readonly Value[]): string | null | undefined {
  const parts: string[] = [];
  for (const v of list) {
    if (typeof v === 'string' && !v.includes(';')) parts.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
    else return undefined;
  }
  return parts.length > 0 ? parts.join(';') : null;
}

/**
 * Salesforce fields hold scalars. A list sent to a multi-select picklist becomes its values joined with
 * ';' (what Salesforce expects, as HubSpot does for multi-checkboxes); other JSON values go in as their JSON text.
 */
export function toFieldValue(value: Value, multiPicklist = false): FieldValue {
  if (value === null || typeof value !== 'object') return value;
  const joined = multiPicklist && Array.isArray(value) ? multiPicklistValue(value) : undefined;
  return joined === undefined ? JSON.stringify(value) : joined;
}

/**
 * The record's field values. `multiPicklists` holds the lower-cased names of the object's multi-select
 * picklists (Salesforce field names ignore case). A mapped `Id` or `attributes` stops the batch rather
 * than being dropped unseen, except the matchOn field itself, which the caller sends as the record's address.
 */
export function fieldsOf(batch: Batch, item: BatchItem, multiPicklists: ReadonlySet<string> = new Set()): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(item.fields)) {
    const reserved = reservedFieldProblem(name);
    if (reserved && name === batch.matchOn) continue;
    if (reserved) throw new TerminalError(`${reserved}. Nothing of this batch was sent.`, { code: 'RESERVED_FIELD' });
    out[name] = toFieldValue(value, multiPicklists.has(name.toLowerCase()));
  }
  return out;
}

/** Whether any record of the batch carries a list, which only a describe can tell how to send. */
export function hasListValues(batch: Batch): boolean {
  return batch.operation !== 'delete' && batch.items.some((item) => Object.values(item.fields).some(Array.isArray));
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
