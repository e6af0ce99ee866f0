import { afterEach, describe, expect, it } from 'vitest';
import { collectChanges } from '../../src/core/change-set.ts';
import { FAST_RETRY, type EngineHarness } from '../support/engine-project.ts';
import { createSalesforceProject, SYNC, type SalesforceProject } from '../support/salesforce-project.ts';

let p: SalesforceProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const UPSERT = 'PATCH /composite/sobjects/{type}/{field}';
const LONG_WEBSITE = `https://${'x'.repeat(260)}.example.com`;

async function plannedKeys(engine: EngineHarness): Promise<string[]> {
  const plan = await engine.plan();
  return (await collectChanges(plan.syncs[0]!.changes)).map((c) => c.key).sort();
}

async function rowErrors(engine: EngineHarness): Promise<Array<[string, string, string | null]>> {
  const errors = await engine.store.listRowErrors({ sync: SYNC, limit: 1_000 });
  return errors.map((e): [string, string, string | null] => [e.key, e.code, e.field]).sort((a, b) => a[0].localeCompare(b[0]));
}

function expectNoDuplicates(project: SalesforceProject, count: number): void {
  const creates = [...project.sandbox.createsPerKey('Account').values()];
  expect(creates).toHaveLength(count);
  expect(creates.every((n) => n === 1)).toBe(true);
}

describe('Salesforce sObject Collections through the engine', () => {
  it('records per-record failures against the right keys, commits the rest, and re-proposes exactly the failed rows', async () => {
    // 500 rows are three upsert calls (200 + 200 + 100); the bad rows sit in different calls. The
    // lock on co-000450 clears by itself: that row is sent again in the same run and goes through.
    p = await createSalesforceProject({ rows: 500, sandbox: { lockRowKeys: ['co-000450'] } });
    await p.sql(
      `update companies set name = null where company_id in ('co-000007', 'co-000123')`,
      `update companies set domain = '${LONG_WEBSITE}' where company_id = 'co-000321'`,
    );
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'partial', planned: 500, delivered: 497, failed: 3, rateLimited: 0 });
    expect(result.apiCalls).toBe(4);
    expect(p.sandbox.stats().apiCalls).toBe(4);
    expect([...p.sandbox.stats().collectionSizes].sort((a, b) => b - a)).toEqual([200, 200, 100, 1]);
    expect(engine.events.filter((e) => e.type === 'retry-scheduled')).toEqual([
      expect.objectContaining({ reason: 'rows', attempt: 1, message: '1 row(s) the destination asked to send again (UNABLE_TO_LOCK_ROW)' }),
    ]);

    expect(await rowErrors(engine)).toEqual([
      ['co-000007', 'REQUIRED_FIELD_MISSING', 'Name'],
      ['co-000123', 'REQUIRED_FIELD_MISSING', 'Name'],
      ['co-000321', 'STRING_TOO_LONG', 'Website'],
    ]);
    const accounts = p.accounts();
    expect(accounts.size).toBe(497);
    for (const key of ['co-000007', 'co-000123', 'co-000321']) expect(accounts.has(key)).toBe(false);

    // Only acknowledged rows reached the snapshot: the next plan is the three failures and nothing else.
    expect(await plannedKeys(engine)).toEqual(['co-000007', 'co-000123', 'co-000321']);

    await p.sql(
      `update companies set name = 'Fixed ' || company_id where name is null`,
      `update companies set domain = 'company321.example.com' where company_id = 'co-000321'`,
    );
    const fixed = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(fixed).toMatchObject({ status: 'succeeded', planned: 3, delivered: 3, failed: 0, apiCalls: 1 });
    expect(p.accounts()).toEqual(await p.model());
    expectNoDuplicates(p, 500);
    expect(await engine.store.countRowErrors(SYNC)).toBe(0);
    expect(await plannedKeys(engine)).toEqual([]);
  });

  it('sends a locked row again within the run a bounded number of times, then records it and proposes it next run', async () => {
    const lock = { statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] };
    p = await createSalesforceProject({ rows: 50, sandbox: { rejectRowKeys: { 'co-000020': lock } } });
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan(), { retry: FAST_RETRY })).syncs[0]!;
    // One pass, then one resend per transient retry allowed (2), each a call of the one locked row.
    expect(result).toMatchObject({ status: 'partial', planned: 50, delivered: 49, failed: 1, apiCalls: 1 + FAST_RETRY.maxTransientRetries });
    expect(p.sandbox.stats().collectionSizes).toEqual([50, 1, 1]);
    expect(engine.events.filter((e) => e.type === 'retry-scheduled').map((e) => e.type === 'retry-scheduled' && [e.reason, e.attempt])).toEqual([
      ['rows', 1],
      ['rows', 2],
    ]);
    // Progress and the failure-rate SLA count each row once, when it is settled: not the passes it was held over.
    const committed = engine.events.flatMap((e) => (e.type === 'batch-committed' ? [[e.delivered, e.failed]] : []));
    expect(committed).toEqual([[49, 0], [0, 0], [0, 1]]);
    expect(await rowErrors(engine)).toEqual([['co-000020', 'UNABLE_TO_LOCK_ROW', null]]);
    expect(await plannedKeys(engine)).toEqual(['co-000020']);

    p.sandbox.knobs.rejectRowKeys = {};
    expect((await engine.apply(await engine.plan())).syncs[0]).toMatchObject({ status: 'succeeded', delivered: 1, failed: 0 });
    expect(p.accounts()).toEqual(await p.model());
    expectNoDuplicates(p, 50);
  });

  it('keeps the stored Account and the snapshot as they were when Salesforce refuses an update', async () => {
    p = await createSalesforceProject({ rows: 50 });
    const engine = await p.engine();
    expect((await engine.apply(await engine.plan())).syncs[0]).toMatchObject({ status: 'succeeded', delivered: 50 });
    const before = p.accounts().get('co-000010');

    await p.sql(`update companies set name = null, employees = 99 where company_id = 'co-000010'`, `update companies set employees = 42 where company_id = 'co-000011'`);
    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'partial', planned: 2, delivered: 1, failed: 1, apiCalls: 1 });
    expect(await rowErrors(engine)).toEqual([['co-000010', 'REQUIRED_FIELD_MISSING', 'Name']]);
    // Salesforce rejects the record as a whole: the employee count did not move either.
    expect(p.accounts().get('co-000010')).toEqual(before);
    expect(p.accounts().get('co-000011')?.['NumberOfEmployees']).toBe(42);

    const replan = await engine.plan();
    expect((await collectChanges(replan.syncs[0]!.changes)).map((c) => [c.key, c.action, [...c.changedFields].sort()])).toEqual([['co-000010', 'update', ['Name', 'NumberOfEmployees']]]);
  });
});

describe('Salesforce Bulk API 2.0 through the engine', () => {
  it('delivers every row of a run above bulkThreshold in one job, counts its calls, commits everything, and leaves nothing to plan', async () => {
    p = await createSalesforceProject({ rows: 3_000, bulkThreshold: 1_000, bulkPollIntervalMs: 10 });
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'succeeded', planned: 3_000, delivered: 3_000, failed: 0, rateLimited: 0 });
    const stats = p.sandbox.stats();
    expect(stats.bulkJobSizes).toEqual([3_000]);
    expect(stats.collectionSizes).toEqual([]);
    // create, upload, close, three polls (the sandbox finishes a job on its third status read), three result files.
    expect(stats.requests).toEqual({
      'POST /jobs/ingest': 1,
      'PUT /jobs/ingest/{id}/batches': 1,
      'PATCH /jobs/ingest/{id}': 1,
      'GET /jobs/ingest/{id}': 3,
      'GET /jobs/ingest/{id}/successfulResults': 1,
      'GET /jobs/ingest/{id}/failedResults': 1,
      'GET /jobs/ingest/{id}/unprocessedrecords': 1,
    });
    expect(result.apiCalls).toBe(9);
    expect(stats.apiCalls).toBe(9);

    expect(p.accounts()).toEqual(await p.model());
    expectNoDuplicates(p, 3_000);
    expect(await engine.store.countRows(SYNC)).toBe(3_000);
    expect(await plannedKeys(engine)).toEqual([]);

    // A small follow-up run stays under the threshold and goes through collections.
    await p.sql(`update companies set employees = employees + 1 where company_id in ('co-000001', 'co-002999')`);
    const delta = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(delta).toMatchObject({ status: 'succeeded', delivered: 2, apiCalls: 1 });
    expect(p.sandbox.stats().collectionSizes).toEqual([2]);
    expect(p.sandbox.stats().bulkJobSizes).toEqual([3_000]);
    expect(p.accounts()).toEqual(await p.model());
  });

  it('ties rows a bulk job rejected to their keys although result files come back shuffled, and re-proposes them', async () => {
    p = await createSalesforceProject({ rows: 2_500, bulkThreshold: 1_000, bulkPollIntervalMs: 10 });
    await p.sql(
      `update companies set name = null where company_id in ('co-000002', 'co-001234', 'co-002500')`,
      `update companies set domain = '${LONG_WEBSITE}' where company_id = 'co-000777'`,
    );
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'partial', planned: 2_500, delivered: 2_496, failed: 4, apiCalls: 9 });
    expect(p.sandbox.stats().bulkJobSizes).toEqual([2_500]);
    expect(await rowErrors(engine)).toEqual([
      ['co-000002', 'REQUIRED_FIELD_MISSING', 'Name'],
      ['co-000777', 'STRING_TOO_LONG', 'Website'],
      ['co-001234', 'REQUIRED_FIELD_MISSING', 'Name'],
      ['co-002500', 'REQUIRED_FIELD_MISSING', 'Name'],
    ]);
    // Every delivered row carries the values of its own key (a mis-correlated result would show here).
    const model = await p.model();
    const accounts = p.accounts();
    expect(accounts.size).toBe(2_496);
    for (const [key, account] of accounts) expect(account).toEqual(model.get(key));
    expect(await plannedKeys(engine)).toEqual(['co-000002', 'co-000777', 'co-001234', 'co-002500']);
  });

  it('sends the rows an aborted bulk job never processed again in the same run, by the API their count calls for', async () => {
    p = await createSalesforceProject({ rows: 1_500, bulkThreshold: 1_000, bulkPollIntervalMs: 10, sandbox: { bulkProcessLimit: 1_200 } });
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan(), { retry: FAST_RETRY })).syncs[0]!;
    expect(result).toMatchObject({ status: 'succeeded', planned: 1_500, delivered: 1_500, failed: 0 });
    // The job stopped after 1,200 rows; the 300 UNPROCESSED ones went out again as 2 collection calls.
    expect(p.sandbox.stats().bulkJobSizes).toEqual([1_500]);
    expect([...p.sandbox.stats().collectionSizes].sort((a, b) => b - a)).toEqual([200, 100]);
    expect(engine.events.filter((e) => e.type === 'retry-scheduled')).toEqual([
      expect.objectContaining({ reason: 'rows', message: '300 row(s) the destination asked to send again (UNPROCESSED)' }),
    ]);
    expect(p.accounts()).toEqual(await p.model());
    expectNoDuplicates(p, 1_500);
    expect(await plannedKeys(engine)).toEqual([]);
  });

  it('records every row of a bulk job that failed outright, writes nothing, and delivers them all on the next run', async () => {
    p = await createSalesforceProject({ rows: 1_500, bulkThreshold: 1_000, bulkPollIntervalMs: 10, sandbox: { bulkFailNextJob: 'InvalidBatch : Field name not found : Foo' } });
    const engine = await p.engine();

    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'failed', planned: 1_500, delivered: 0, failed: 1_500 });
    expect(result.message).toContain('failed before processing any row: InvalidBatch : Field name not found : Foo');
    expect(p.accounts().size).toBe(0);
    const errors = await engine.store.listRowErrors({ sync: SYNC, limit: 2_000 });
    expect(errors).toHaveLength(1_500);
    expect(errors.every((e) => e.code === 'BULK_JOB_FAILED')).toBe(true);

    // The knob fails one job only, as a fixed mapping would: the next run delivers everything.
    const retried = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(retried).toMatchObject({ status: 'succeeded', delivered: 1_500, failed: 0 });
    expect(p.accounts()).toEqual(await p.model());
    expectNoDuplicates(p, 1_500);
    expect(await engine.store.countRowErrors(SYNC)).toBe(0);
  });

  // Known gap: when applyBatch throws, the calls it made are lost (the engine adds 1 for "the refused
  // call"), so a bulk job that failed after create, upload, close and three polls is counted as 1 call
  // instead of 6. Fixing it needs thrown errors to carry their call count (see the report); flip to `it` then.
  it('counts every call of a bulk job that failed outright', async () => {
    p = await createSalesforceProject({ rows: 1_500, bulkThreshold: 1_000, bulkPollIntervalMs: 10, sandbox: { bulkFailNextJob: 'InvalidBatch' } });
    const engine = await p.engine();
    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(p.sandbox.stats().apiCalls).toBe(6);
    expect(result.apiCalls).toBe(6);
  });
});
