import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
afterEach(async () => p?.close());

const cli = async (args: string[], options: { isTTY?: boolean; answers?: string[] } = {}) => {
  const io = captureIo(p.project.dir, {}, { isTTY: options.isTTY ?? false });
  io.answers.push(...(options.answers ?? []));
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
};

describe('status, runs and errors', () => {
  it('show the last run, records held, failed rows and pending changes per sync', async () => {
    p = await createMemoryProject({ rows: 40 });
    const before = await cli(['status']);
    expect(before.out).toMatch(/contacts\s+never applied; 0 record\(s\) in snapshot; 0 failed row\(s\); 40 pending change\(s\)/);

    p.sandbox.knobs.rejectKeys['cust-000009'] = 'bad email';
    await cli(['apply', '--auto-approve']);
    await p.sql(`update customers set first_name = 'X' where customer_id <= 'cust-000003'`);
    const after = await cli(['status', '--json']);
    const [status] = JSON.parse(after.out) as { sync: string; records: number; failedRows: number; pending: number; lastRun: { status: string; delivered: number; failed: number } }[];
    expect(status).toMatchObject({ sync: 'contacts', records: 39, failedRows: 1, pending: 4, lastRun: { status: 'partial', delivered: 39, failed: 1 } });

    const runs = await cli(['runs']);
    expect(runs.out).toMatch(/contacts\s+apply partial\s+planned 40, delivered 39, failed 1, 1 call\(s\), 0 429\(s\)/);
    const errors = await cli(['errors', 'contacts', '--json']);
    expect(JSON.parse(errors.out)).toMatchObject({ total: 1, errors: [{ key: 'cust-000009', code: 'REJECTED', message: 'bad email', attempts: 1 }] });
  });

  it('show the last cycle when it came after the last run: a recovered sync no longer reads as failed', async () => {
    p = await createMemoryProject({ rows: 3 });
    expect((await cli(['run', 'contacts'])).code).toBe(0);
    await p.sql('alter table customers rename to customers_moved');
    expect((await cli(['run', 'contacts'])).code).toBe(1);
    await p.sql('alter table customers_moved rename to customers');
    expect((await cli(['run', 'contacts'])).out).toContain('contacts: succeeded');

    const status = await cli(['status', '--offline']);
    expect(status.out).toMatch(/contacts\s+last cycle \S+ succeeded \(no changes\); last run \S+ failed/);
    const [json] = JSON.parse((await cli(['status', '--offline', '--json'])).out) as { lastCycle: { outcome: string; message: string } }[];
    expect(json!.lastCycle).toMatchObject({ outcome: 'succeeded', message: 'no changes' });
  });

  it('names the known syncs when asked about an unknown one', async () => {
    p = await createMemoryProject({ rows: 1 });
    const r = await cli(['errors', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown sync(s): nope. Known: contacts');
    const runs = await cli(['runs', 'nope']);
    expect(runs.code).toBe(1);
    expect(runs.err).toContain('unknown sync(s): nope. Known: contacts');
  });

  it('refuses a --limit that is not a whole number of 1 or more, instead of listing everything or failing in SQLite', async () => {
    p = await createMemoryProject({ rows: 1 });
    for (const limit of ['abc', '0', '2.5', '-1']) {
      const r = await cli(['runs', `--limit=${limit}`]);
      expect(r.code).toBe(1);
      expect(r.err.trim()).toBe(`Error: --limit expects a whole number of 1 or more, got "${limit}"`);
    }
    expect((await cli(['runs', '--limit', '3'])).code).toBe(0);
  });
});

describe('confirmations', () => {
  it('apply without --auto-approve asks on a terminal and refuses without one', async () => {
    p = await createMemoryProject({ rows: 5 });
    const noTty = await cli(['apply']);
    expect(noTty.code).toBe(1);
    expect(noTty.err).toContain('re-run with --auto-approve');
    const declined = await cli(['apply'], { isTTY: true, answers: ['n'] });
    expect(declined.code).toBe(1);
    expect(p.sandbox.stats().requests).toBe(0);
    const accepted = await cli(['apply'], { isTTY: true, answers: ['yes'] });
    expect(accepted.code).toBe(0);
    expect(p.destination().size).toBe(5);
  });

  it('reset asks for the sync name, then starts a new lineage and re-proposes every row', async () => {
    p = await createMemoryProject({ rows: 5 });
    await cli(['apply', '--auto-approve']);
    const wrong = await cli(['reset', 'contacts'], { isTTY: true, answers: ['contact'] });
    expect(wrong.code).toBe(1);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    const reset = await cli(['reset', 'contacts'], { isTTY: true, answers: ['contacts'] });
    expect(reset.code).toBe(0);
    expect(reset.out).toContain('new lineage');
    const plan = await cli(['plan']);
    expect(plan.out).toContain('5 to create');
    // Upserts make re-sending everything after a reset safe: no duplicates.
    await cli(['apply', '--auto-approve']);
    expect(Object.values(p.sandbox.stats().createsPerKey)).toEqual([1, 1, 1, 1, 1]);
  });
});
