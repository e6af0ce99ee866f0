import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGES_IN_MEMORY, spoolDirectoryPath, spoolFilesCreated } from '../../src/engine/change-spool.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';
import { projectRunner } from '../support/project-runner.ts';

let p: MemoryProject;
afterEach(async () => p?.close());

const cli = (args: string[]) => projectRunner(p.project.dir, {}).cli(args);

const ROWS = CHANGES_IN_MEMORY + 1_000;
const spooled = () => {
  const dir = spoolDirectoryPath();
  return dir ? readdirSync(dir) : [];
};

/** A first sync: more creates than a plan keeps in memory, so they stream through a spool file. */
describe('a plan larger than memory holds', () => {
  it('is shown, saved gzipped, applied from the file in full batches, and leaves no spool file behind', async () => {
    p = await createMemoryProject({ rows: ROWS });
    const spoolsBefore = spoolFilesCreated();
    const saved = await cli(['plan', '--out', 'first.plan', '--max-changes', '2']);
    expect(saved.code, saved.err).toBe(0);
    expect(saved.out).toContain(`${ROWS} to create, 0 to update, 0 to delete`);
    expect(saved.out).toContain(`… and ${ROWS - 2} more change(s)`);
    expect([...readFileSync(p.project.path('first.plan')).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(spoolFilesCreated()).toBe(spoolsBefore + 1); // the changes did go through a spool file...
    expect(spooled()).toEqual([]); // ...removed once the command was done with the plan
    expect(spoolDirectoryPath()).toBeNull(); // and its directory with it

    const applied = await cli(['apply', 'first.plan']);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain(`${ROWS} delivered, 0 failed of ${ROWS}`);
    expect(p.destination().size).toBe(ROWS);
    const sizes = p.sandbox.stats().batchSizes;
    expect(sizes.filter((n) => n !== 100)).toEqual([]); // every batch full (ROWS is a multiple of 100)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ROWS);

    const json = await cli(['plan', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ syncs: [{ changeCount: 0, changes: [], totals: { create: 0, update: 0, delete: 0 } }] });
    await p.sql(`update customers set first_name = 'Renamed' where customer_id <= 'cust-006000'`);
    const again = await cli(['plan', '--json']);
    const parsed = JSON.parse(again.out) as { syncs: { changeCount: number; changes: { key: string; changedFields: string[] }[] }[] };
    expect(parsed.syncs[0]!.changeCount).toBe(6_000);
    expect(parsed.syncs[0]!.changes).toHaveLength(6_000);
    expect(new Set(parsed.syncs[0]!.changes.map((c) => c.changedFields.join()))).toEqual(new Set(['firstname']));

    // The scheduler's cycle (here `ebb run`) plans, tracks pending keys and applies from the stream too.
    const run = await cli(['run', 'contacts']);
    expect(run.code, run.err).toBe(0);
    expect([...p.destination().values()].filter((r) => r['firstname'] === 'Renamed')).toHaveLength(6_000);
    expect((await cli(['status', 'contacts'])).out).toMatch(/; 0 pending change\(s\)/);
    expect(spooled()).toEqual([]);
  });
});
