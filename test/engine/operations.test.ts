import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/change.ts';
import { batchChanges } from '../../src/engine/operations.ts';

const caps = { operations: ['upsert', 'delete'] as const, maxBatchSize: { upsert: 10, create: 10, update: 10, delete: 10 } };

async function itemsOf(changes: Change[], phase: 'writes' | 'deletes') {
  const items = [];
  for await (const planned of batchChanges(changes, phase, { mode: 'mirror', object: 'users', matchOn: 'external_id', caps: { ...caps, operations: [...caps.operations] }, totals: { create: 1, update: 0, delete: 2 } })) {
    items.push(...planned.batch.items);
  }
  return items;
}

describe('batch items', () => {
  it('gives a delete its match field as last delivered, so a delete without a remote id goes by the value as written, not by the lower-cased key', async () => {
    const changes: Change[] = [
      { key: 'c-1', action: 'delete', before: { external_id: 'C-1', name: 'Ada' }, after: null, changedFields: [], remoteId: null, fingerprint: null },
      { key: 'c-2', action: 'delete', before: { name: 'no match field' }, after: null, changedFields: [], remoteId: 'R2', fingerprint: null },
      { key: 'c-3', action: 'create', before: null, after: { external_id: 'C-3', name: 'Bob' }, changedFields: ['external_id', 'name'], remoteId: null, fingerprint: 'f' },
    ];
    expect(await itemsOf(changes, 'deletes')).toEqual([
      { key: 'c-1', fields: { external_id: 'C-1' }, changedFields: [], remoteId: null },
      { key: 'c-2', fields: {}, changedFields: [], remoteId: 'R2' },
    ]);
    expect(await itemsOf(changes, 'writes')).toEqual([{ key: 'c-3', fields: { external_id: 'C-3', name: 'Bob' }, changedFields: ['external_id', 'name'], remoteId: null }]);
  });
});
