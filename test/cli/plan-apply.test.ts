import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { readPlanFile } from '../../src/cli/plan-file.ts';
import { collectChanges } from '../../src/core/change-set.ts';
import { captureIo } from '../support/capture-io.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
afterEach(async () => p?.close());

const cli = async (args: string[]) => {
  const io = captureIo(p.project.dir);
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
};

describe('plan → apply → plan', () => {
  it('delivers every row, then plans nothing and calls the destination zero times', async () => {
    p = await createMemoryProject({ rows: 250 });
    const first = await cli(['plan', '--detailed-exitcode']);
    expect(first.code).toBe(2);
    expect(first.out).toContain('250 to create, 0 to update, 0 to delete');
    expect(first.out).toContain('+ cust-000001');

    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('250 delivered, 0 failed');
    expect(p.destination().size).toBe(250);
    expect(p.sandbox.stats().batchSizes).toEqual([100, 100, 50]);

    const requestsBefore = p.sandbox.stats().requests;
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 to create, 0 to update, 0 to delete; 250 unchanged');
    const reapplied = await cli(['apply', '--auto-approve']);
    expect(reapplied.code).toBe(0);
    expect(p.sandbox.stats().requests).toBe(requestsBefore);
  });

  it('plans exactly the changed rows with their changed fields', async () => {
    p = await createMemoryProject({ rows: 50 });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await p.sql(
      `update customers set first_name = 'Renamed' where customer_id = 'cust-000003'`,
      `update customers set email = 'new7@example.com', score = 99.5 where customer_id = 'cust-000007'`,
      `update customers set vip = not vip where customer_id = 'cust-000011'`,
    );
    const plan = await cli(['plan', '--json']);
    const parsed = JSON.parse(plan.out) as { syncs: { changes: { key: string; action: string; changedFields: string[]; after: Record<string, unknown> }[] }[] };
    const changes = parsed.syncs[0]!.changes;
    expect(changes.map((c) => [c.key, c.action, c.changedFields])).toEqual([
      ['cust-000003', 'update', ['firstname']],
      ['cust-000007', 'update', ['email', 'score']],
      ['cust-000011', 'update', ['vip']],
    ]);
    // vip is marked sensitive: masked in the JSON view.
    expect(changes[2]!.after['vip']).toBe('(sensitive)');
    const text = await cli(['plan']);
    expect(text.out).toContain('firstname  "First3" → "Renamed"');
    expect(text.out).not.toMatch(/vip\s+(true|false)/);

    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(p.destination().get('cust-000007')).toMatchObject({ email: 'new7@example.com', score: '99.5' }) // DECIMAL stays exact, as a string;
    expect(p.sandbox.stats().updates).toBe(3);
  });

  it('saves a plan file with mode 0600 and applies exactly it', async () => {
    p = await createMemoryProject({ rows: 20 });
    const saved = await cli(['plan', '--out', 'changes.plan.json']);
    expect(saved.code).toBe(0);
    const file = p.project.path('changes.plan.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await collectChanges((await readPlanFile(file)).syncs[0]!.changes)).toHaveLength(20);
    // The warehouse changes after planning: apply still pushes exactly what was previewed.
    await p.sql(`delete from customers where customer_id > 'cust-000010'`);
    expect((await cli(['apply', 'changes.plan.json'])).code).toBe(0);
    expect(p.destination().size).toBe(20);
  });
});

describe('deletes', () => {
  it('mirror deletes a removed row; upsert keeps it', async () => {
    for (const mode of ['upsert', 'mirror'] as const) {
      p = await createMemoryProject({ rows: 10, mode });
      expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
      await p.sql(`delete from customers where customer_id = 'cust-000004'`);
      const plan = await cli(['plan']);
      const applied = await cli(['apply', '--auto-approve']);
      expect(applied.code, applied.out + applied.err).toBe(0);
      if (mode === 'mirror') {
        expect(plan.out).toContain('- cust-000004');
        expect(p.destination().has('cust-000004')).toBe(false);
        expect(p.sandbox.stats().deletes).toBe(1);
      } else {
        expect(plan.out).toContain('1 record(s) no longer in the model kept');
        expect(p.destination().has('cust-000004')).toBe(true);
        expect(p.sandbox.stats().deletes).toBe(0);
      }
      await p.close();
    }
  });

  it('plans nothing from a model whose query fails after some rows streamed; the other syncs still plan', async () => {
    // Rows 80,000 and on cannot be converted: DuckDB has already streamed some of the first 80,000 by then.
    const query = `select 'k' || i as id, (case when i >= 80000 then 'x' else '1' end)::integer as n from range(100000) t(i)`;
    p = await createMemoryProject({
      rows: 5,
      extraSyncs: {
        broken: `source: { connection: 'warehouse', query: ${JSON.stringify(query)} }, key: 'id',
  destination: { connection: 'crm', object: 'contacts', matchOn: 'external_id' }, mapping: { external_id: 'id', score: 'n' }, mode: 'mirror',`,
      },
    });
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(1);
    expect(plan.out + plan.err).toMatch(/broken[\s\S]*result ended after \d+ of the query's 100000 rows[\s\S]*Conversion Error/);
    expect(plan.out).not.toMatch(/\+ k\d/);
    expect(plan.out).toContain('5 to create, 0 to update, 0 to delete');
  });

  it('cancels a model query that outlives the sync\'s readTimeout, and says which setting to raise', async () => {
    const slow = `select customer_id, email from customers where (select count(*) from range(10000000000)) > 0`;
    p = await createMemoryProject({
      rows: 5,
      extraSyncs: {
        slow: `source: { connection: 'warehouse', query: ${JSON.stringify(slow)} }, key: 'customer_id', readTimeout: '300ms',
  destination: { connection: 'crm', object: 'contacts', matchOn: 'external_id' }, mapping: { external_id: 'customer_id', email: 'email' },`,
      },
    });
    const started = Date.now();
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(plan.out + plan.err).toMatch(/slow[\s\S]*cancelled after 300 ms \(the sync's readTimeout\)[\s\S]*raise `readTimeout` on the sync or in `defaults`/);
    expect(plan.out).toContain('5 to create, 0 to update, 0 to delete');
  });

  it('blocks a plan that would delete too much, until --allow-deletes', async () => {
    p = await createMemoryProject({ rows: 10, mode: 'mirror' });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await p.sql(`delete from customers where customer_id <= 'cust-000005'`);
    const blocked = await cli(['apply', '--auto-approve']);
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('5 of 10 records (50.0%) would be deleted, above the 20% guard');
    expect(p.destination().size).toBe(10);
    const allowed = await cli(['apply', '--auto-approve', '--allow-deletes']);
    expect(allowed.code).toBe(0);
    expect(p.destination().size).toBe(5);
  });

  it('blocks deleting everything when the model comes back empty', async () => {
    p = await createMemoryProject({ rows: 10, mode: 'mirror', deletes: { maxDeletePercent: 100 } });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await p.sql(`delete from customers`);
    const blocked = await cli(['apply', '--auto-approve']);
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('the model returned 0 rows');
    expect(p.destination().size).toBe(10);
  });
});
