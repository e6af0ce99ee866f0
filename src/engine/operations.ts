import type { Change } from '../core/change.ts';
import type { SyncMode } from '../core/sync.ts';
import type { Batch, BatchItem, ObjectCapabilities, WriteOperation } from '../connectors/connector.ts';

/**
 * The wire operation for a planned change. Upserting by the match key is preferred wherever the mode
 * allows it, because a batch re-sent after a crash then updates instead of creating a duplicate.
 */
export function operationFor(change: Change, mode: SyncMode, caps: ObjectCapabilities): WriteOperation {
  const has = (op: WriteOperation) => caps.operations.includes(op);
  if (change.action === 'delete') return 'delete';
  if (mode === 'update') return 'update'; // rows new to the snapshot are matched by key, never created
  if (mode === 'create') return 'create';
  if (has('upsert')) return 'upsert';
  return change.action === 'create' ? 'create' : 'update';
}

export interface PlannedBatch {
  batch: Batch;
  changes: Change[];
}

/** Groups changes per operation (writes before deletes) into batches as full as the destination allows. */
export function batchChanges(input: {
  changes: readonly Change[];
  mode: SyncMode;
  object: string;
  matchOn: string;
  caps: ObjectCapabilities;
}): PlannedBatch[] {
  const { changes, mode, object, matchOn, caps } = input;
  const byOperation = new Map<WriteOperation, Change[]>();
  for (const change of changes) {
    const op = operationFor(change, mode, caps);
    const list = byOperation.get(op) ?? [];
    list.push(change);
    byOperation.set(op, list);
  }
  const order: WriteOperation[] = ['upsert', 'create', 'update', 'delete'];
  const batches: PlannedBatch[] = [];
  for (const operation of order) {
    const list = byOperation.get(operation);
    if (!list) continue;
    const size = caps.bulk && list.length >= caps.bulk.threshold ? caps.bulk.maxBatchSize : caps.maxBatchSize[operation];
    for (let start = 0; start < list.length; start += size) {
      const slice = list.slice(start, start + size);
      batches.push({ changes: slice, batch: { object, operation, matchOn, items: slice.map(toItem) } });
    }
  }
  return batches;
}

function toItem(change: Change): BatchItem {
  return { key: change.key, fields: change.after ?? {}, changedFields: change.changedFields, remoteId: change.remoteId };
}
