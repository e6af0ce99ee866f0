import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { LocalStorageError } from '../../src/core/errors.ts';
import { asStorageFailure } from '../../src/snapshot/sqlite/storage-failure.ts';
import { captureIo } from '../support/capture-io.ts';
import { FAST_RETRY, openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
const engines: EngineHarness[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  await p?.close();
});

const cli = async (args: string[]) => {
  const io = captureIo(p.project.dir);
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
};

describe('stale plans', () => {
  it('refuses a plan made before another apply moved the snapshot', async () => {
    p = await createMemoryProject({ rows: 10 });
    expect((await cli(['plan', '--out', 'old.plan.json'])).code).toBe(0);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const stale = await cli(['apply', 'old.plan.json']);
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/snapshot of "contacts" changed since this plan was made .*Re-run `ebb plan`/);
    expect(p.sandbox.stats().requests).toBe(1);
  });

  it('refuses a plan after the sync definition changed, and after a reset', async () => {
    p = await createMemoryProject({ rows: 10 });
    await cli(['plan', '--out', 'a.plan.json']);
    const file = p.project.path('syncs/contacts.sync.ts');
    const original = (await import('node:fs')).readFileSync(file, 'utf8');
    p.project.write('syncs/contacts.sync.ts', original.replace("firstname: 'first_name', ", ''));
    const changed = await cli(['apply', 'a.plan.json']);
    expect(changed.out).toContain('sync "contacts" changed (syncs/contacts.sync.ts) since this plan was made');

    p.project.write('syncs/contacts.sync.ts', original);
    await cli(['plan', '--out', 'b.plan.json']);
    expect((await cli(['reset', 'contacts', '--auto-approve'])).code).toBe(0);
    const reset = await cli(['apply', 'b.plan.json']);
    expect(reset.code).toBe(1);
    expect(reset.out).toContain('planned against a different snapshot');
    expect(p.sandbox.stats().requests).toBe(0);
  });

  it('re-checks the base inside the commit: a reset during an apply stops it', async () => {
    p = await createMemoryProject({ rows: 300, connection: { maxConcurrent: 1 } });
    p.sandbox.knobs.delayMs = 150;
    const engine = await openEngine(p.project.dir);
    engines.push(engine);
    const running = engine.apply(await engine.plan());
    await new Promise((r) => setTimeout(r, 200));
    await engine.store.reset('contacts');
    const result = await running;
    expect(result.syncs[0]!.status).toBe('failed');
    expect(result.syncs[0]!.message).toMatch(/moved since the plan was made.*re-run `ebb plan`/);
    expect(p.sandbox.stats().requests).toBeLessThan(3);
  });
});

describe('one apply per sync at a time', () => {
  it('refuses a second concurrent apply with a clear message', async () => {
    p = await createMemoryProject({ rows: 200, connection: { maxConcurrent: 1 } });
    p.sandbox.knobs.delayMs = 200;
    const first = openEngine(p.project.dir).then(async (e) => (engines.push(e), e.apply(await e.plan())));
    await new Promise((r) => setTimeout(r, 400));
    const second = await cli(['apply', '--auto-approve']);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/another apply of "contacts" is running .* Wait for it to finish/);
    expect((await first).syncs[0]).toMatchObject({ status: 'succeeded', delivered: 200 });
    expect(Object.values(p.sandbox.stats().createsPerKey).every((n) => n === 1)).toBe(true);
  });
});

describe('the apply lock over a long batch', () => {
  it('is renewed while a batch waits out a 429 longer than its lifetime, so a second apply is still refused', async () => {
    p = await createMemoryProject({ rows: 5 });
    const engine = await openEngine(p.project.dir);
    engines.push(engine);
    p.sandbox.knobs.rateLimitNext = 1;
    p.sandbox.knobs.retryAfterMs = 4_000;
    const first = engine.apply(await engine.plan(), { lockTtlMs: 3_000 });
    await new Promise((r) => setTimeout(r, 3_500)); // past the lifetime, inside the wait
    const second = await cli(['apply', '--auto-approve']);
    expect(second.out).toMatch(/another apply of "contacts" is running/);
    expect((await first).syncs[0]).toMatchObject({ status: 'succeeded', delivered: 5 });
  });

  it('sends nothing more once another process took the lock, so an older value cannot land after a newer one', async () => {
    p = await createMemoryProject({ rows: 1 });
    const stalled = await openEngine(p.project.dir);
    const other = await openEngine(p.project.dir);
    engines.push(stalled, other);
    await stalled.apply(await stalled.plan());
    await p.sql(`update customers set first_name = 'older'`);
    const olderPlan = await stalled.plan();
    // A 1.5 s wait against a 0.4 s lock, which the 1 s renewal timer cannot keep: a process stalled past its lock.
    p.sandbox.knobs.rateLimitNext = 1;
    p.sandbox.knobs.retryAfterMs = 1_500;
    const applying = stalled.apply(olderPlan, { lockTtlMs: 400 });
    await new Promise((r) => setTimeout(r, 700));
    await p.sql(`update customers set first_name = 'newer'`);
    expect((await other.apply(await other.plan())).syncs[0]).toMatchObject({ status: 'succeeded', delivered: 1 });

    const result = (await applying).syncs[0]!;
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/another process took the lock of "contacts" after it expired .*nothing more was sent/);
    expect(p.destination().get('cust-000001')).toMatchObject({ firstname: 'newer' });
    expect((await other.plan()).syncs[0]!.changes.count).toBe(0);
    expect(await other.store.countRowErrors('contacts')).toBe(0); // it wrote nothing after losing the lock
  });
});

describe('history that cannot be written', () => {
  it('keeps the run’s result when its record or the lock release fails, and says so', async () => {
    p = await createMemoryProject({ rows: 150 });
    const engine = await openEngine(p.project.dir);
    engines.push(engine);
    // The snapshot's own disk filling up after the last commit: only the history writes fail.
    const full = () => Promise.reject(new LocalStorageError('could not record the run’s result: the disk is full (SQLITE_FULL)'));
    const { finishRun, releaseLock } = engine.store;
    engine.store.finishRun = full;
    engine.store.releaseLock = full;
    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    engine.store.finishRun = finishRun;
    engine.store.releaseLock = releaseLock;
    // Every row was delivered and committed; that stands, but it is not a silent success.
    expect(result).toMatchObject({ status: 'partial', delivered: 150, failed: 0, apiCalls: 2 });
    expect(result.message).toBe(
      "The run's result could not be recorded in the history (could not record the run’s result: the disk is full (SQLITE_FULL)). " +
        "Also, the sync's lock could not be released (could not record the run’s result: the disk is full (SQLITE_FULL)); it frees itself within 120 s.",
    );
    expect(p.destination().size).toBe(150);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('a snapshot that cannot record a failed batch', () => {
  it('stops the run with every change still pending, instead of throwing its result away', async () => {
    p = await createMemoryProject({ rows: 250, connection: { maxConcurrent: 1 } });
    p.sandbox.knobs.failNext = 3; // the first batch fails for good (FAST_RETRY: two retries)
    const engine = await openEngine(p.project.dir);
    engines.push(engine);
    // The disk fills just as the run records that batch as failed.
    const commitBatch = engine.store.commitBatch.bind(engine.store);
    engine.store.commitBatch = (batch) =>
      batch.failed.length > 0 ? Promise.reject(asStorageFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), ':memory:', 'record a delivered batch in the snapshot')) : commitBatch(batch);
    const result = (await engine.apply(await engine.plan(), { retry: FAST_RETRY })).syncs[0]!;
    expect(result).toMatchObject({ status: 'failed', delivered: 0, failed: 0, unsent: 250, apiCalls: 3 });
    expect(result.unrecorded).toBeUndefined();
    expect(result.message).toBe(
      'stopped: could not record a delivered batch in the snapshot: the disk is full (SQLITE_FULL). The snapshot is in memory. Free space on that disk and run again. 250 change(s) were not sent and stay pending.',
    );
    expect(p.sandbox.stats().requests).toBe(3);
  });
});

describe('an observer that throws', () => {
  it('changes nothing the run delivers or records', async () => {
    p = await createMemoryProject({ rows: 250 });
    const engine = await openEngine(p.project.dir);
    engines.push(engine);
    // The harness's event sink pushes to this array: make every event fail, as a log on a full disk would.
    engine.events.push = () => {
      throw new Error('the log is on a full disk');
    };
    const result = (await engine.apply(await engine.plan())).syncs[0]!;
    expect(result).toMatchObject({ status: 'succeeded', delivered: 250, failed: 0, apiCalls: 3, message: null });
    expect(await engine.store.countRowErrors('contacts')).toBe(0);
    expect(p.destination().size).toBe(250);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('bad model keys', () => {
  it('blocks duplicate keys with counts and samples, without calling the destination', async () => {
    p = await createMemoryProject({ rows: 20 });
    await p.sql(`update customers set customer_id = 'cust-000001' where customer_id in ('cust-000002', 'cust-000003')`, `update customers set customer_id = 'cust-000009' where customer_id = 'cust-000010'`);
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.out).toContain('2 key value(s) of "customer_id" appear more than once, e.g. cust-000001 (×3), cust-000009 (×2)');
    expect((await cli(['apply', '--auto-approve'])).code).toBe(1);
    expect(p.sandbox.stats().requests).toBe(0);
  });

  it('blocks null keys and says how to fix them', async () => {
    p = await createMemoryProject({ rows: 20 });
    await p.sql(`update customers set customer_id = null where customer_id <= 'cust-000004'`);
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.out).toContain('4 model row(s) have a null "customer_id"');
    expect(plan.out).toContain('where customer_id is not null');
  });

  it('blocks a mapping that names a column the model lacks', async () => {
    p = await createMemoryProject({ rows: 5 });
    await p.sql(`alter table customers drop column first_name`);
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.out).toContain('the model has no column "first_name"');
  });
});

describe('broken config', () => {
  it('names the file and field and runs nothing', async () => {
    p = await createMemoryProject({ rows: 5 });
    p.project.write('syncs/broken.sync.ts', `import { defineSync } from 'ebb';\nexport default defineSync({ source: { connection: 'warehouse', query: 'select 1' }, key: 'id', destination: { connection: 'nope', object: 'contacts', matchOn: 'id' }, mapping: { id: 'id' }, mode: 'sometimes' } as never);\n`);
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('syncs/broken.sync.ts');
    expect(plan.err).toContain('mode');
    expect(p.sandbox.stats().requests).toBe(0);
  });
});
