import { isSnapshotOnly, type Change, type ChangeTotals } from '../core/change.ts';
import type { SyncMode } from '../core/sync.ts';
import type { Batch, BatchItem, ObjectCapabilities, WriteOperation } from '../connectors/connector.ts';

/**
 * The wire operation for a planned change. Upserting by the match key is preferred wherever the mode
 * allows it, because a batch re-sent after a crash then updates instead of creating a duplicate.
 */
export function operationFor(change: Pick<Change, 'action'>, mode: SyncMode, caps: ObjectCapabilities): WriteOperation {
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

export interface BatchingInput {
  mode: SyncMode;
  object: string;
  matchOn: string;
  caps: ObjectCapabilities;
  /** How many changes of each action the stream holds: decides whether an operation goes in bulk. */
  totals: ChangeTotals;
}

/**
 * Groups a stream of changes per operation into batches as full as the destination allows, holding
 * at most one unfinished batch per operation: a plan of any size is batched in bounded memory.
 * `phase` picks writes or deletes, so all writes can be sent before the first delete.
 */
export async function* batchChanges(changes: AsyncIterable<Change> | Iterable<Change>, phase: 'writes' | 'deletes', input: BatchingInput): AsyncGenerator<PlannedBatch> {
  const { mode, object, matchOn, caps } = input;
  const sizes = batchSizes(input);
  const open = new Map<WriteOperation, Change[]>();
  const toBatch = (operation: WriteOperation, list: Change[]): PlannedBatch => ({
    changes: list,
    batch: { object, operation, matchOn, items: list.map((change) => toItem(change, matchOn)) },
  });
  for await (const change of changes) {
    if ((change.action === 'delete') !== (phase === 'deletes')) continue;
    if (isSnapshotOnly(change)) continue; // nothing to send: the executor commits it on its own
    const operation = operationFor(change, mode, caps);
    const list = open.get(operation) ?? [];
    list.push(change);
    if (list.length >= sizes.get(operation)!) {
      open.delete(operation);
      yield toBatch(operation, list);
    } else {
      open.set(operation, list);
    }
  }
  for (const [operation, list] of open) yield toBatch(operation, list);
}

/** Bulk (e.g. Salesforce Bulk API) only when an operation has enough changes to make a job worth it. */
function batchSizes({ mode, caps, totals }: BatchingInput): Map<WriteOperation, number> {
  const perOperation = new Map<WriteOperation, number>();
  for (const action of ['create', 'update', 'delete'] as const) {
    const operation = operationFor({ action }, mode, caps);
    perOperation.set(operation, (perOperation.get(operation) ?? 0) + totals[action]);
  }
  const sizes = new Map<WriteOperation, number>();
  for (const [operation, count] of perOperation) {
    sizes.set(operation, caps.bulk && count >= caps.bulk.threshold ? caps.bulk.maxBatchSize : caps.maxBatchSize[operation]);
  }
  return sizes;
}

/**
 * A delete carries only its match field, as last delivered: without a remote id it is addressed by that
 * value as written, not by the key, which is lower-cased when the destination matches ignoring case.
 */
function toItem(change: Change, matchOn: string): BatchItem {
  const before = change.before?.[matchOn];
  const fields = change.after ?? (before === undefined || before === null ? {} : { [matchOn]: before });
  return { key: change.key, fields, changedFields: change.changedFields, remoteId: change.remoteId };
}
