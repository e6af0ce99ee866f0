import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, BatchItem, ConnectorDefinition, ConnectorSession, WriteOperation } from '../../src/connectors/connector.ts';
import type { Row } from '../../src/core/values.ts';
import { systemClock } from '../../src/engine/clock.ts';

/**
 * One suite that every connector passes against its sandbox: the engine relies on exactly these
 * behaviours (one result per item in input order, upserts that never duplicate, per-row failures as
 * data, remote ids returned, deletes addressed by remote id).
 */
export interface ConnectorHarness {
  definition: ConnectorDefinition;
  /** Options pointing at a running sandbox, secrets already resolved. */
  options: Record<string, unknown>;
  object: string;
  matchOn: string;
  /** A valid row key (an email for HubSpot contacts, an id elsewhere). */
  keyFor(i: number): string;
  /** An accepted payload; includes `matchOn` = key; `variant` changes the other fields. */
  validFields(key: string, variant: number): Row;
  /** A payload the destination rejects for this row only. */
  invalidFields(key: string): Row;
  /** The destination's records, by matchOn value. */
  readBack(): Promise<Map<string, Row>>;
  /** How many times each key's record was created: more than 1 is a duplicate. */
  createsPerKey(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

function itemsFor(h: ConnectorHarness, from: number, count: number, variant: number): BatchItem[] {
  return Array.from({ length: count }, (_, i) => {
    const key = h.keyFor(from + i);
    const fields = h.validFields(key, variant);
    return { key, fields, changedFields: Object.keys(fields), remoteId: null };
  });
}

/** Compares as strings: destinations return numbers and booleans in their own formats. */
function expectFieldsStored(stored: Row | undefined, sent: Row): void {
  expect(stored, 'record missing from the destination').toBeDefined();
  for (const [field, value] of Object.entries(sent)) {
    expect(String(stored?.[field] ?? null), `field ${field}`).toBe(String(value ?? null));
  }
}

export function describeConnectorContract(name: string, open: () => Promise<ConnectorHarness>): void {
  describe(`connector contract: ${name}`, () => {
    let h: ConnectorHarness;
    let session: ConnectorSession;
    let writeOp: WriteOperation;
    let maxBatch: number;

    beforeAll(async () => {
      h = await open();
      session = await h.definition.open(h.options, { rootDir: process.cwd(), sleep: systemClock.sleep });
      const caps = h.definition.capabilities(h.object, h.options);
      writeOp = caps.operations.includes('upsert') ? 'upsert' : 'create';
      maxBatch = caps.maxBatchSize[writeOp];
    });
    afterAll(async () => {
      await session?.close();
      await h?.close();
    });

    const batch = (operation: WriteOperation, items: BatchItem[]): Batch => ({ object: h.object, operation, matchOn: h.matchOn, items });

    it('declares a sane definition: options valid, budget positive, account key free of secrets', () => {
      expect(h.definition.validateOptions(h.options)).toEqual([]);
      const budget = h.definition.rateBudget(h.options);
      expect(budget.requests).toBeGreaterThan(0);
      expect(budget.windowMs).toBeGreaterThan(0);
      expect(budget.maxConcurrent).toBeGreaterThan(0);
      const accountKey = h.definition.accountKey(h.options);
      expect(accountKey.length).toBeGreaterThan(0);
      for (const [option, value] of Object.entries(h.options)) {
        if (/token|secret|password|passphrase|apikey/i.test(option) && typeof value === 'string') {
          expect(accountKey.includes(value), `account key contains option ${option}`).toBe(false);
        }
      }
      expect(() => h.definition.capabilities('no_such_object_ebb', h.options)).toThrow();
    });

    it('writes a full batch and returns one ok result with a remote id per item, in order', async () => {
      const items = itemsFor(h, 0, maxBatch, 1);
      const result = await session.applyBatch(batch(writeOp, items));
      expect(result.results).toHaveLength(items.length);
      expect(result.calls).toBeGreaterThanOrEqual(1);
      for (const r of result.results) {
        expect(r.status).toBe('ok');
        if (r.status === 'ok') expect(r.remoteId).toBeTruthy();
      }
      const stored = await h.readBack();
      for (const item of items) expectFieldsStored(stored.get(item.key), item.fields);
    });

    it('re-sending the same batch never creates a record twice (crash-safe re-send)', async () => {
      if (writeOp !== 'upsert') return expect(writeOp).toBe('create'); // create-only destinations cannot promise this
      const items = itemsFor(h, 0, Math.min(10, maxBatch), 1);
      const again = await session.applyBatch(batch('upsert', items));
      expect(again.results.every((r) => r.status === 'ok')).toBe(true);
      const creates = await h.createsPerKey();
      for (const item of items) expect(creates.get(item.key)).toBe(1);
    });

    it('updates changed fields, addressed by the remote id it returned', async () => {
      const items = itemsFor(h, 200, 5, 1);
      const created = await session.applyBatch(batch(writeOp, items));
      const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId : null));
      const changed = itemsFor(h, 200, 5, 2).map((item, i) => ({ ...item, remoteId: ids[i] ?? null }));
      const caps = h.definition.capabilities(h.object, h.options);
      const op: WriteOperation = caps.operations.includes('update') ? 'update' : 'upsert';
      const updated = await session.applyBatch(batch(op, changed));
      expect(updated.results.map((r) => r.status)).toEqual(changed.map(() => 'ok'));
      const stored = await h.readBack();
      for (const item of changed) expectFieldsStored(stored.get(item.key), item.fields);
    });

    it('returns per-row failures as data, with the good rows of the batch delivered', async () => {
      const items = itemsFor(h, 300, 6, 1);
      const badIndexes = [1, 4];
      for (const i of badIndexes) {
        const item = items[i]!;
        item.fields = h.invalidFields(item.key);
        item.changedFields = Object.keys(item.fields);
      }
      const result = await session.applyBatch(batch(writeOp, items));
      expect(result.results).toHaveLength(items.length);
      result.results.forEach((r, i) => {
        if (badIndexes.includes(i)) {
          expect(r.status).toBe('failed');
          if (r.status === 'failed') {
            expect(r.error.code.length).toBeGreaterThan(0);
            expect(r.error.message.length).toBeGreaterThan(0);
          }
        } else {
          expect(r.status).toBe('ok');
        }
      });
      const stored = await h.readBack();
      expect(stored.has(items[0]!.key)).toBe(true);
      expect(stored.has(items[1]!.key)).toBe(false);
    });

    it('deletes records by remote id when the object supports deletes', async () => {
      const caps = h.definition.capabilities(h.object, h.options);
      if (!caps.operations.includes('delete')) return expect(caps.operations).not.toContain('delete');
      const items = itemsFor(h, 400, 3, 1);
      const created = await session.applyBatch(batch(writeOp, items));
      const toDelete = items.map((item, i) => {
        const r = created.results[i];
        return { key: item.key, fields: {}, changedFields: [], remoteId: r?.status === 'ok' ? r.remoteId : null };
      });
      const deleted = await session.applyBatch(batch('delete', toDelete));
      expect(deleted.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
      const stored = await h.readBack();
      for (const item of items) expect(stored.has(item.key)).toBe(false);
    });
  });
}
