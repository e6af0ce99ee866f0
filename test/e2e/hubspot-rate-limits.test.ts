import { describe, expect, it } from 'vitest';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';

/**
 * 5,000 changed rows (50 batches of 100) against a HubSpot sandbox allowing 10 requests per rolling
 * 10 s. By nature each run takes ~50 s (one call per ~1 s), so the two cases run concurrently, each
 * with its own sandbox and project.
 */
const ROWS = 5_000;
const TIMEOUT_MS = 120_000;
const UPSERT = 'POST /crm/v3/objects/contacts/batch/upsert';

async function pushAll(p: HubspotProject) {
  const engine = await p.engine();
  const plan = await engine.plan();
  expect(plan.syncs[0]!.totals.create).toBe(ROWS);
  const started = Date.now();
  const result = await engine.apply(plan);
  return { engine, result: result.syncs[0]!, elapsedMs: Date.now() - started };
}

async function expectEverythingDelivered(p: HubspotProject): Promise<void> {
  expect(p.contacts()).toEqual(await p.model());
  expect([...p.sandbox.createsPerKey('contacts', 'email').values()].every((n) => n === 1)).toBe(true);
  const sizes = p.sandbox.stats().batchSizes[UPSERT] ?? [];
  expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(ROWS);
  expect(sizes.slice(0, -1).every((size) => size === 100)).toBe(true);
}

describe.concurrent('applying 5,000 rows under a 10 requests / 10 s HubSpot limit', () => {
  it(
    'with the limit configured on the connection: every row delivered, zero 429s, full batches',
    async () => {
      const p = await createHubspotProject({ rows: ROWS, requestsPer10s: 10, sandbox: { requestsPer10s: 10 } });
      try {
        const { engine, result, elapsedMs } = await pushAll(p);
        expect(result).toMatchObject({ status: 'succeeded', delivered: ROWS, failed: 0, apiCalls: 50, rateLimited: 0 });
        const stats = p.sandbox.stats();
        expect(stats.rateLimited).toEqual({ TEN_SECONDLY_ROLLING: 0, DAILY: 0 });
        expect(stats.statuses['429']).toBeUndefined();
        expect(stats.batchSizes[UPSERT]).toHaveLength(50);
        // The limit was known, so nothing had to be learnt from the headers.
        expect(engine.events.some((e) => e.type === 'pace-adjusted')).toBe(false);
        // 50 calls spaced at 97% of 10 per 10 s: no faster than the limit allows.
        expect(elapsedMs).toBeGreaterThanOrEqual(49 * 1000);
        await expectEverythingDelivered(p);
      } finally {
        await p.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'with nothing configured (the connector assumes 100): slows itself from the headers, every row delivered',
    async () => {
      const p = await createHubspotProject({ rows: ROWS, sandbox: { requestsPer10s: 10 } });
      try {
        const { engine, result } = await pushAll(p);
        expect(result).toMatchObject({ status: 'succeeded', delivered: ROWS, failed: 0 });
        const adjusted = engine.events.filter((e) => e.type === 'pace-adjusted');
        expect(adjusted).toHaveLength(1);
        expect(adjusted[0]).toMatchObject({ requests: 10, windowMs: 10_000 });
        // Calls sent at the assumed pace before the first answer arrived may earn a 429; a handful at most.
        const rateLimited = p.sandbox.stats().rateLimited;
        expect(rateLimited.DAILY).toBe(0);
        expect(rateLimited.TEN_SECONDLY_ROLLING).toBeLessThanOrEqual(5);
        expect(result.rateLimited).toBe(rateLimited.TEN_SECONDLY_ROLLING);
        await expectEverythingDelivered(p);
      } finally {
        await p.close();
      }
    },
    TIMEOUT_MS,
  );
});
