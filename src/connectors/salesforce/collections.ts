import { TerminalError } from '../../core/errors.ts';
import type { Batch, ItemResult } from '../connector.ts';
import type { Meter, SalesforceClient } from './client.ts';
import { fieldsOf, matchValue, missingMatchKey, missingRemoteId } from './payload.ts';
import { fromSaveResult, type SaveResultLike } from './row-errors.ts';

/** Records per sObject Collections call. */
export const COLLECTION_MAX = 200;

/** A delete of a record that is already gone has reached its goal: re-sent deletes after a crash are fine. */
const ALREADY_DELETED = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

interface Prepared {
  results: Array<ItemResult | undefined>;
  /** Input index of each record sent, in request order (results come back in the same order). */
  sent: number[];
  records: Array<Record<string, unknown>>;
}

function prepare(batch: Batch, multiPicklists: ReadonlySet<string>): Prepared {
  const prepared: Prepared = { results: [], sent: [], records: [] };
  const attributes = { type: batch.object };
  batch.items.forEach((item, index) => {
    let record: Record<string, unknown> | null = null;
    if (batch.operation === 'upsert') {
      const key = matchValue(batch, item);
      if (key === null) prepared.results[index] = missingMatchKey(batch);
      else record = { attributes, ...fieldsOf(batch, item, multiPicklists), [batch.matchOn]: key };
    } else if (batch.operation === 'create') {
      record = { attributes, ...fieldsOf(batch, item, multiPicklists) };
    } else if (!item.remoteId) {
      prepared.results[index] = missingRemoteId(batch);
    } else {
      record = batch.operation === 'update' ? { attributes, ...fieldsOf(batch, item, multiPicklists), id: item.remoteId } : { id: item.remoteId };
    }
    if (record) {
      prepared.sent.push(index);
      prepared.records.push(record);
    }
  });
  return prepared;
}

function send(client: SalesforceClient, meter: Meter, batch: Batch, records: Array<Record<string, unknown>>): Promise<SaveResultLike[]> {
  const what = `${batch.operation} of ${records.length} ${batch.object} records`;
  const json = (method: 'POST' | 'PATCH', url: string) =>
    client.request<SaveResultLike[]>(meter, what, { method, url, body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
  switch (batch.operation) {
    case 'upsert':
      return json('PATCH', `/composite/sobjects/${encodeURIComponent(batch.object)}/${encodeURIComponent(batch.matchOn)}`);
    case 'create':
      return json('POST', '/composite/sobjects');
    case 'update':
      return json('PATCH', '/composite/sobjects');
    case 'delete': {
      const ids = records.map((r) => encodeURIComponent(String(r['id']))).join(',');
      return client.request<SaveResultLike[]>(meter, what, { method: 'DELETE', url: `/composite/sobjects?ids=${ids}&allOrNone=false` });
    }
  }
}

/**
 * One sObject Collections call (allOrNone false): results come back one per record in request order,
 * each mapped to the item it was built from, with Salesforce's statusCode, message and fields.
 */
export async function applyCollections(client: SalesforceClient, meter: Meter, batch: Batch, multiPicklists: ReadonlySet<string> = new Set()): Promise<ItemResult[]> {
  if (batch.items.length > COLLECTION_MAX) throw new TerminalError(`sObject Collections take at most ${COLLECTION_MAX} records per call; got ${batch.items.length}`);
  const prepared = prepare(batch, multiPicklists);
  if (prepared.records.length > 0) {
    const response = await send(client, meter, batch, prepared.records);
    if (!Array.isArray(response) || response.length !== prepared.records.length) {
      throw new TerminalError(
        `Salesforce answered a ${batch.operation} of ${prepared.records.length} ${batch.object} records with ${Array.isArray(response) ? response.length : 'no'} results; ` +
          'the outcome of this batch is unknown, so nothing of it is recorded',
      );
    }
    const okCodes = batch.operation === 'delete' ? ALREADY_DELETED : new Set<string>();
    response.forEach((result, i) => {
      const index = prepared.sent[i]!;
      const mapped = fromSaveResult(result, okCodes);
      prepared.results[index] = mapped.status === 'ok' && mapped.remoteId === null ? { status: 'ok', remoteId: batch.items[index]!.remoteId } : mapped;
    });
  }
  return batch.items.map((_, i) => prepared.results[i]!);
}
