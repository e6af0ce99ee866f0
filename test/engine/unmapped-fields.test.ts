import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { collectChanges } from '../../src/core/change-set.ts';
import { captureIo } from '../support/capture-io.ts';
import { openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await p?.close();
});

/** Removes `firstname` from the contacts sync's mapping, as a user editing the file would. */
function unmapFirstname(): void {
  const file = p.project.path('syncs/contacts.sync.ts');
  p.project.write('syncs/contacts.sync.ts', readFileSync(file, 'utf8').replace("firstname: 'first_name', ", ''));
}

async function cli(args: string[]) {
  const io = captureIo(p.project.dir);
  const code = await runCli(args, io);
  return { code, out: io.stdout() };
}

describe('a field removed from the mapping', () => {
  it('is left as it is in the destination: the plan says so, and apply sends nothing for records that differ only there', async () => {
    p = await createMemoryProject({ rows: 5 });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const requestsBefore = p.sandbox.stats().requests;
    unmapFirstname();

    engine = await openEngine(p.project.dir);
    const whole = await engine.plan();
    const plan = whole.syncs[0]!;
    expect(plan.totals).toEqual({ create: 0, update: 0, delete: 0 });
    expect(plan.noLongerMapped).toEqual({ fields: ['firstname'], snapshotOnly: 5 });
    const shown = await cli(['plan']);
    expect(shown.out).toContain('0 to create, 0 to update, 0 to delete; 5 unchanged.');
    expect(shown.out).toContain('No longer mapped: firstname. Ebb stops managing it: left as it is in contacts, not cleared; 5 record(s) differ only there');
    expect(shown.out).not.toMatch(/firstname\s+"First1" → null/);

    const applied = (await engine.apply(whole)).syncs[0]!;
    expect(applied).toMatchObject({ status: 'succeeded', planned: 0, delivered: 0 });
    expect(p.sandbox.stats().requests).toBe(requestsBefore);
    expect(p.destination().get('cust-000001')).toMatchObject({ firstname: 'First1' });
    const next = (await engine.plan()).syncs[0]!;
    expect(next.changes.count).toBe(0);
    expect(next.noLongerMapped).toBeUndefined();
  });

  it('is not sent, nor listed as changed, in an update of another field', async () => {
    p = await createMemoryProject({ rows: 5 });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    unmapFirstname();
    await p.sql(`update customers set score = 99 where customer_id = 'cust-000002'`);

    engine = await openEngine(p.project.dir);
    const whole = await engine.plan();
    const plan = whole.syncs[0]!;
    expect(plan.totals).toEqual({ create: 0, update: 1, delete: 0 });
    expect(plan.noLongerMapped).toEqual({ fields: ['firstname'], snapshotOnly: 4 });
    const update = (await collectChanges(plan.changes, 10)).find((c) => c.changedFields.length > 0)!;
    expect(update).toMatchObject({ key: 'cust-000002', changedFields: ['score'] });

    const result = (await engine.apply(whole)).syncs[0]!;
    expect(result).toMatchObject({ status: 'succeeded', planned: 1, delivered: 1 });
    expect(p.sandbox.stats().batchSizes.at(-1)).toBe(1);
    expect(p.destination().get('cust-000002')).toMatchObject({ score: '99.0', firstname: 'First2' });
    expect((await engine.plan()).syncs[0]!.changes.count).toBe(0);
  });
});
