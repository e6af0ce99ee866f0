import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { FAST_RETRY, openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await p?.close();
});

describe('rows the destination rejects', () => {
  it('are recorded with their reason, not committed, and proposed again until delivered', async () => {
    p = await createMemoryProject({ rows: 30 });
    p.sandbox.knobs.rejectKeys['cust-000005'] = 'email is not a valid address';
    p.sandbox.knobs.rejectKeys['cust-000017'] = 'firstname is required';
    const io = captureIo(p.project.dir);
    expect(await runCli(['apply', '--auto-approve'], io)).toBe(1);
    expect(io.stdout()).toContain('28 delivered, 2 failed of 30');
    expect(p.destination().size).toBe(28);

    const errors = captureIo(p.project.dir);
    expect(await runCli(['errors', 'contacts'], errors)).toBe(0);
    expect(errors.stdout()).toContain('cust-000005  create  REJECTED: email is not a valid address  [attempts 1');
    expect(errors.stdout()).toContain('cust-000017  create  REJECTED: firstname is required');

    const replanned = captureIo(p.project.dir);
    await runCli(['plan', '--json'], replanned);
    const keys = (JSON.parse(replanned.stdout()) as { syncs: { changes: { key: string }[] }[] }).syncs[0]!.changes.map((c) => c.key);
    expect(keys).toEqual(['cust-000005', 'cust-000017']);

    // Still rejected: the attempt count grows.
    await runCli(['apply', '--auto-approve'], captureIo(p.project.dir));
    const again = captureIo(p.project.dir);
    await runCli(['errors', 'contacts'], again);
    expect(again.stdout()).toContain('[attempts 2');

    p.sandbox.knobs.rejectKeys = {};
    expect(await runCli(['apply', '--auto-approve'], captureIo(p.project.dir))).toBe(0);
    expect(p.destination().size).toBe(30);
    const cleared = captureIo(p.project.dir);
    await runCli(['errors', 'contacts'], cleared);
    expect(cleared.stdout()).toContain('no failed rows');
  });
});

describe('whole-call failures', () => {
  it('waits out a 429 for its Retry-After, then delivers everything', async () => {
    p = await createMemoryProject({ rows: 100, connection: { maxConcurrent: 1 } });
    p.sandbox.knobs.rateLimitNext = 2;
    p.sandbox.knobs.retryAfterMs = 400;
    engine = await openEngine(p.project.dir);
    const started = Date.now();
    const result = await engine.apply(await engine.plan());
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(result.syncs[0]).toMatchObject({ status: 'succeeded', delivered: 100, failed: 0, rateLimited: 2 });
    expect(p.sandbox.stats().rateLimited).toBe(2);
    expect(engine.events.filter((e) => e.type === 'retry-scheduled').map((e) => e.type === 'retry-scheduled' && e.delayMs)).toEqual([400, 400]);
  });

  it('retries a timed-out call whose write landed without creating a duplicate', async () => {
    p = await createMemoryProject({ rows: 20, connection: { timeoutMs: 300 } });
    p.sandbox.knobs.stallNext = 1;
    p.sandbox.knobs.stallMs = 1000;
    engine = await openEngine(p.project.dir);
    const result = await engine.apply(await engine.plan(), { retry: FAST_RETRY });
    expect(result.syncs[0]).toMatchObject({ status: 'succeeded', delivered: 20 });
    expect(p.sandbox.stats().requests).toBe(2);
    expect(Object.values(p.sandbox.stats().createsPerKey).every((n) => n === 1)).toBe(true);
  });

  it('does not re-send a create whose call timed out: the records may exist, so the rows are recorded for a person to check', async () => {
    p = await createMemoryProject({ rows: 20, mode: 'create', connection: { timeoutMs: 300 } });
    p.sandbox.knobs.stallNext = 1;
    p.sandbox.knobs.stallMs = 1000;
    engine = await openEngine(p.project.dir);
    const result = await engine.apply(await engine.plan(), { retry: FAST_RETRY });
    expect(result.syncs[0]).toMatchObject({ status: 'failed', delivered: 0, failed: 20 });
    expect(p.sandbox.stats().requests).toBe(1);
    expect(Object.values(p.sandbox.stats().createsPerKey)).toEqual(Array(20).fill(1));
    const errors = await engine.store.listRowErrors({ sync: 'contacts', limit: 100 });
    expect(errors).toHaveLength(20);
    expect(errors[0]).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(errors[0]!.message).toMatch(/may have reached the destination .*did not send it again, since a second create could make a duplicate/);

    // The next plan proposes them again, and says they may already exist.
    const replan = (await engine.plan()).syncs[0]!;
    expect(replan.totals.create).toBe(20);
    const warning = replan.diagnostics.find((d) => d.code === 'UNCERTAIN_CREATES');
    expect(warning?.message).toMatch(/^20 create\(s\) are for records an earlier run may already have created .* e\.g\. cust-000001, cust-000002, cust-000003, cust-000004, cust-000005\. Applying creates them again: check contacts for their external_id first/);
  });

  it('keeps the trace of records a create may have made once their rows leave a mirror model, and says they cannot be deleted', async () => {
    p = await createMemoryProject({ rows: 3, mode: 'mirror', connection: { timeoutMs: 300, upsert: false } });
    p.sandbox.knobs.stallNext = 1;
    p.sandbox.knobs.stallMs = 1000;
    engine = await openEngine(p.project.dir);
    expect((await engine.apply(await engine.plan(), { retry: FAST_RETRY })).syncs[0]).toMatchObject({ status: 'failed', failed: 3 });
    expect(p.destination().size).toBe(3); // created, but never acknowledged

    await p.sql(`delete from customers where customer_id in ('cust-000001', 'cust-000002')`);
    const plan = (await engine.plan()).syncs[0]!;
    expect(plan.totals).toEqual({ create: 1, update: 0, delete: 0 });
    expect(plan.diagnostics.map((d) => d.code).sort()).toEqual(['UNCERTAIN_CREATES', 'UNCONFIRMED_ORPHANS']);
    expect(plan.diagnostics.find((d) => d.code === 'UNCONFIRMED_ORPHANS')!.message).toMatch(
      /^2 record\(s\) an earlier create may have made \(OUTCOME_UNKNOWN in `ebb errors contacts`\) are no longer in the model, e\.g\. cust-000001, cust-000002\. Ebb never learned their ids, so this mirror sync cannot delete them: check contacts for their external_id/,
    );
    expect((await engine.store.listRowErrors({ sync: 'contacts', limit: 10 })).map((e) => e.key).sort()).toEqual(['cust-000001', 'cust-000002', 'cust-000003']);
  });

  it('records every row as failed when retries run out, and proposes them again', async () => {
    p = await createMemoryProject({ rows: 250, connection: { maxConcurrent: 1 } });
    p.sandbox.knobs.failNext = 1000;
    engine = await openEngine(p.project.dir);
    const result = await engine.apply(await engine.plan(), { retry: FAST_RETRY });
    expect(result.syncs[0]).toMatchObject({ status: 'failed', delivered: 0, failed: 250 });
    expect(result.syncs[0]!.message).toContain('gave up after 3 attempts');
    // Only the first batch was tried; the rest were not sent once the destination proved down.
    expect(p.sandbox.stats().serverErrors).toBe(3);
    const errors = await engine.store.listRowErrors({ sync: 'contacts', limit: 1000 });
    expect(errors).toHaveLength(250);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['RETRIES_EXHAUSTED', 'NOT_ATTEMPTED']));
    const replan = await engine.plan();
    expect(replan.syncs[0]!.totals.create).toBe(250);

    p.sandbox.knobs.failNext = 0;
    const recovered = await engine.apply(replan, { retry: FAST_RETRY });
    expect(recovered.syncs[0]).toMatchObject({ status: 'succeeded', delivered: 250 });
    expect(await engine.store.countRowErrors('contacts')).toBe(0);
  });
});
