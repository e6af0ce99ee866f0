import type { MemoryKnobs } from './knobs.ts';
import type { MemoryBatchRequest, MemoryItemResult } from '../../connectors/memory/protocol.ts';
import type { MemoryRecords } from './store.ts';

/** Applies one batch to the records, row by row, the way a forgiving CRM would. */
export function applyMemoryBatch(records: MemoryRecords, object: string, request: MemoryBatchRequest, knobs: MemoryKnobs): MemoryItemResult[] {
  return request.items.map((item): MemoryItemResult => {
    const matchValue = request.operation === 'delete' ? item.key : String(item.fields[request.matchOn] ?? item.key);
    const rejection = knobs.rejectKeys[matchValue] ?? knobs.rejectKeys[item.key];
    if (rejection !== undefined) return { ok: false, code: 'REJECTED', message: rejection };
    const existing = item.remoteId
      ? records.findById(object, item.remoteId)
      : records.findByField(object, request.matchOn, item.fields[request.matchOn] ?? item.key);
    switch (request.operation) {
      case 'create':
        if (existing) return { ok: false, code: 'DUPLICATE', message: `a record with ${request.matchOn}=${matchValue} already exists (id ${existing.id})` };
        return { ok: true, id: records.create(object, item.fields, matchValue).id };
      case 'upsert':
        if (existing) {
          records.update(existing, item.fields);
          return { ok: true, id: existing.id };
        }
        return { ok: true, id: records.create(object, item.fields, matchValue).id };
      case 'update':
        if (!existing) return { ok: false, code: 'NOT_FOUND', message: `no record with ${item.remoteId ? `id ${item.remoteId}` : `${request.matchOn}=${matchValue}`}` };
        records.update(existing, item.fields);
        return { ok: true, id: existing.id };
      case 'delete':
        if (!existing) return { ok: true, id: item.remoteId ?? '' }; // already gone: deleting is idempotent
        records.delete(object, existing.id);
        return { ok: true, id: existing.id };
    }
  });
}
