import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOrder } from '../../../src/sandbox/hubspot/index.ts';
import { batch, contact, recordsBy, startRig, type Rig } from './helpers.ts';

describe('hubspot connector: per-row failures in a 207', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  const orders: ResultOrder[] = ['input', 'reversed', 'shuffled'];
  for (const [round, order] of orders.entries()) {
    it(`fails exactly the 3 invalid rows of 100 with HubSpot's codes, results ${order}`, async () => {
      rig.sandbox.setKnobs({ resultOrder: order });
      const base = round * 1000;
      const items = Array.from({ length: 100 }, (_, i) => contact(base + i));
      items[7] = contact(base + 7, { email: `not-an-email-${round}`, firstname: 'Bad' });
      items[7].key = `not-an-email-${round}`;
      items[42] = contact(base + 42, { lifecyclestage: 'vip' });
      items[93] = contact(base + 93, { favourite_colour: 'teal' });

      const before = rig.sandbox.stats().totalRequests;
      const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', items));
      expect(result.calls).toBe(1);
      expect(rig.sandbox.stats().totalRequests - before).toBe(1);
      expect(result.results).toHaveLength(100);

      const failed = result.results.flatMap((r, i) => (r.status === 'failed' ? [[i, r.error] as const] : []));
      expect(failed.map(([i]) => i)).toEqual([7, 42, 93]);
      expect(failed[0]?.[1]).toEqual({ code: 'INVALID_EMAIL', message: `Email address not-an-email-${round} is invalid`, field: 'email' });
      expect(failed[1]?.[1]).toMatchObject({ code: 'INVALID_OPTION', field: 'lifecyclestage' });
      expect(failed[1]?.[1].message).toContain('vip was not one of the allowed options');
      expect(failed[2]?.[1]).toEqual({ code: 'PROPERTY_DOESNT_EXIST', message: 'Property "favourite_colour" does not exist', field: 'favourite_colour' });

      // Every ok result carries the id of the record holding that row's email: correlated, not positional.
      const stored = recordsBy(rig.sandbox, 'contacts', 'email');
      result.results.forEach((r, i) => {
        if (r.status !== 'ok') return;
        expect(r.remoteId).toBe(stored.get(items[i]!.key)?.id);
      });
      expect(result.results.filter((r) => r.status === 'ok')).toHaveLength(97);
    });
  }
});

describe('hubspot connector: whole-batch 400s are isolated by splitting', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ knobs: { rowErrors: 'wholeBatch', resultOrder: 'shuffled' } });
  });
  afterAll(() => rig.close());

  it('delivers 99 of 100 when HubSpot rejects the whole batch for one bad row, counting every call', async () => {
    const items = Array.from({ length: 100 }, (_, i) => contact(i));
    items[61] = contact(61, { lifecyclestage: 'platinum' });
    const before = rig.sandbox.stats();
    const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', items));
    const after = rig.sandbox.stats();

    expect(result.results.map((r) => r.status).filter((s) => s === 'ok')).toHaveLength(99);
    expect(result.results[61]).toMatchObject({ status: 'failed', error: { code: 'INVALID_OPTION', field: 'lifecyclestage' } });
    // 100 → 50 → 25 → 13 → 7 → 4 → 2 → 1: the first call plus two per level.
    expect(result.calls).toBe(15);
    expect(after.totalRequests - before.totalRequests).toBe(15);
    expect(after.statuses['400']! - (before.statuses['400'] ?? 0)).toBe(8);
    expect(recordsBy(rig.sandbox, 'contacts', 'email').has('user61@example.com')).toBe(false);
    expect(rig.sandbox.records('contacts')).toHaveLength(99);
  });

  it('fails every row using a property that does not exist in one call, then sends the rest', async () => {
    const items = Array.from({ length: 10 }, (_, i) => contact(200 + i));
    items[2] = contact(202, { shoe_size: 44 });
    items[5] = contact(205, { shoe_size: 41 });
    const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', items));
    expect(result.calls).toBe(2);
    expect(result.results.map((r) => r.status)).toEqual(items.map((_, i) => (i === 2 || i === 5 ? 'failed' : 'ok')));
    expect(result.results[5]).toEqual({
      status: 'failed',
      error: { code: 'PROPERTY_DOESNT_EXIST', message: 'Property "shoe_size" does not exist', field: 'shoe_size' },
    });
  });

  it('isolates a duplicate id (emails differing only in case) so both rows land on one record', async () => {
    const items = [contact(300), contact(301), contact(302)];
    items[2]!.fields = { ...items[2]!.fields, email: 'USER300@example.com' };
    const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', items));
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(result.results[0]).toEqual(result.results[2]);
    expect(rig.sandbox.createsPerKey('contacts', 'email').get('user300@example.com')).toBe(1);
  });

  it('reports a create conflict (409) as the row error of the duplicate only', async () => {
    const items = [contact(400), contact(300), contact(401)];
    const result = await rig.session.applyBatch(batch('contacts', 'create', 'email', items));
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(result.results[1]).toMatchObject({ status: 'failed', error: { code: 'CONFLICT', field: 'email' } });
    if (result.results[1]?.status === 'failed') expect(result.results[1].error.message).toMatch(/^Contact already exists. Existing ID: \d+$/);
  });
});
