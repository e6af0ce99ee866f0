import { afterEach, describe, expect, it } from 'vitest';
import { collectChanges } from '../../src/core/change-set.ts';
import type { EngineHarness } from '../support/engine-project.ts';
import { createSalesforceProject, SYNC, type SalesforceProject } from '../support/salesforce-project.ts';

let p: SalesforceProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function plannedKeys(engine: EngineHarness): Promise<string[]> {
  return (await collectChanges((await engine.plan()).syncs[0]!.changes)).map((c) => c.key).sort();
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function expectFinishedWithoutDuplicates(project: SalesforceProject, rows: number): void {
  const creates = [...project.sandbox.createsPerKey('Account').values()];
  expect(creates).toHaveLength(rows);
  expect(creates.every((n) => n === 1)).toBe(true);
}

describe("Salesforce's daily API budget (dailyBudgetPercent of the org's rolling 24 h allocation)", () => {
  it('stops the run at the budget, keeps what was delivered, leaves the rest pending, and finishes once usage rolls off', async () => {
    // 2,000 rows are 10 collection calls. The org allows 100 calls a day, 75 are used, and this
    // connection may use up to 80%: 5 calls fit. One call in flight at a time makes the stop point exact.
    p = await createSalesforceProject({ rows: 2_000, dailyAllocation: 100, apiUsage: 75, maxConcurrent: 1, budgetRecheckMs: 0 });
    const engine = await p.engine();

    const first = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(first).toMatchObject({ status: 'partial', planned: 2_000, delivered: 1_000, failed: 1_000, rateLimited: 0 });
    expect(first.message).toContain("Salesforce API budget reached: 81 of the org's 100 daily API requests are used (81.0%), at or above this connection's 80% share (dailyBudgetPercent)");
    expect(first.message).toContain('the remaining rows stay pending and go out on a later run as usage rolls off');
    // Five upserts, then one /limits re-read that confirmed the budget was spent; the org's own limit was never hit.
    const stats = p.sandbox.stats();
    expect(stats.collectionSizes).toEqual([200, 200, 200, 200, 200]);
    expect(stats.requests['GET /limits']).toBe(1);
    expect(stats.limitExceeded).toBe(0);
    expect(first.apiCalls).toBe(stats.apiCalls);

    // Delivered rows are committed: the next plan proposes exactly the 1,000 that did not reach Salesforce.
    const delivered = p.accounts();
    expect(delivered.size).toBe(1_000);
    const model = await p.model();
    const undelivered = [...model.keys()].filter((key) => !delivered.has(key)).sort();
    expect(await plannedKeys(engine)).toEqual(undelivered);

    // The unsent rows are recorded with the reason: the batch the budget refused, and those never tried.
    const errors = await engine.store.listRowErrors({ sync: SYNC, limit: 2_000 });
    expect(errors.map((e) => e.key).sort()).toEqual(undelivered);
    expect(countBy(errors, (e) => e.code)).toEqual({ SALESFORCE_DAILY_BUDGET: 200, NOT_ATTEMPTED: 800 });
    expect(errors.every((e) => e.message.includes('Salesforce API budget reached'))).toBe(true);

    // Re-running while the window is still full sends no record: one /limits check, then the same stop.
    const sameDay = await p.cli(['apply', '--auto-approve']);
    expect(sameDay.code).toBe(1);
    expect(sameDay.out).toContain('accounts: failed: 0 delivered, 1000 failed of 1000');
    expect(sameDay.out).toContain("Salesforce API budget reached: 82 of the org's 100 daily API requests are used");
    expect(p.sandbox.stats().collectionSizes).toHaveLength(5);
    expect(p.accounts().size).toBe(1_000);

    // The rolling 24 h window frees up: the connector sees it on its next /limits check and goes on.
    p.sandbox.setApiUsage(0);
    const callsBefore = p.sandbox.stats().apiCalls;
    const nextDay = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(nextDay).toMatchObject({ status: 'succeeded', planned: 1_000, delivered: 1_000, failed: 0, message: null });
    expect(nextDay.apiCalls).toBe(6); // the /limits check and five upserts
    expect(p.sandbox.stats().apiCalls - callsBefore).toBe(6);

    expect(p.accounts()).toEqual(model);
    expectFinishedWithoutDuplicates(p, 2_000);
    expect(await engine.store.countRowErrors(SYNC)).toBe(0);
    expect(await plannedKeys(engine)).toEqual([]);
  });

  it("stops on the org's own REQUEST_LIMIT_EXCEEDED when another integration spent the allocation, and resumes after it frees", async () => {
    // The whole allocation is already gone before the first call, so the budget has nothing to go on:
    // Salesforce's 403 stops the run. Default concurrency: several batches may be refused at once.
    p = await createSalesforceProject({ rows: 1_000, dailyAllocation: 50, apiUsage: 50, budgetRecheckMs: 0 });
    const engine = await p.engine();

    const first = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(first).toMatchObject({ status: 'failed', planned: 1_000, delivered: 0, failed: 1_000 });
    expect(first.message).toContain("the org's daily API allocation is used up");
    const refused = p.sandbox.stats().limitExceeded;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(p.accounts().size).toBe(0);

    const errors = await engine.store.listRowErrors({ sync: SYNC, limit: 1_000 });
    expect(errors).toHaveLength(1_000);
    const codes = countBy(errors, (e) => e.code);
    // Each refused call accounts for its own 200 rows; the rest were stopped by the connector's budget or never sent.
    expect(codes['REQUEST_LIMIT_EXCEEDED']).toBe(200 * refused);
    expect(Object.keys(codes).every((code) => ['REQUEST_LIMIT_EXCEEDED', 'SALESFORCE_DAILY_BUDGET', 'NOT_ATTEMPTED'].includes(code))).toBe(true);

    p.sandbox.setApiUsage(0);
    const nextDay = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(nextDay).toMatchObject({ status: 'succeeded', delivered: 1_000, failed: 0 });
    expect(p.accounts()).toEqual(await p.model());
    expectFinishedWithoutDuplicates(p, 1_000);
    expect(await engine.store.countRowErrors(SYNC)).toBe(0);
    expect(await plannedKeys(engine)).toEqual([]);
  });
});
