import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInKinds } from '../../src/cli/registry.ts';
import { collectChanges } from '../../src/core/change-set.ts';
import { planSync } from '../../src/engine/planner.ts';
import type { SnapshotStore, StageSummary } from '../../src/snapshot/store.ts';
import { openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await p?.close();
});

/** The store, passing every call through, keeping what each staging reported when it finished. */
function recordingStagings(store: SnapshotStore, summaries: StageSummary[]): SnapshotStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'beginStaging') {
        return async (sync: string) => {
          const stager = await target.beginStaging(sync);
          return {
            snapshotRows: stager.snapshotRows,
            skipUnchanged: stager.skipUnchanged.bind(stager),
            add: stager.add.bind(stager),
            finish: () => {
              const summary = stager.finish();
              summaries.push(summary);
              return summary;
            },
          };
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Plans the project's `contacts` sync through the engine's own store, recording its staging. */
async function planContacts(e: EngineHarness) {
  const summaries: StageSummary[] = [];
  const sync = e.config.syncs.find((s) => s.name === 'contacts')!;
  const plan = await planSync(sync, {
    store: recordingStagings(e.store, summaries),
    toolVersion: 'test',
    openSource: () => builtInKinds.sources['duckdb']!.open({ path: 'warehouse.duckdb' }, { rootDir: p.project.dir }),
  });
  return { plan, summary: summaries[0]! };
}

describe('unchanged rows', () => {
  it('are settled by their row check after an apply, whatever order the model returns them in', async () => {
    p = await createMemoryProject({ rows: 500 });
    engine = await openEngine(p.project.dir);
    await engine.apply(await engine.plan());

    const unchanged = await planContacts(engine);
    expect(await collectChanges(unchanged.plan.changes)).toEqual([]);
    expect(unchanged.summary).toMatchObject({ rows: 500, unchanged: 500 });

    // Three rows change, one goes, one arrives, and the rows come back in another order.
    await p.sql(
      `update customers set first_name = 'Changed' where customer_id in ('cust-000007', 'cust-000250', 'cust-000499')`,
      `delete from customers where customer_id = 'cust-000100'`,
      `insert into customers values ('cust-900000', 'new@example.com', 'New', 1.5, false)`,
      `create table shuffled as select * from customers order by hash(customer_id)`,
      `drop table customers`,
      `alter table shuffled rename to customers`,
    );
    const changed = await planContacts(engine);
    expect(changed.summary).toMatchObject({ rows: 500, unchanged: 496 });
    const changes = await collectChanges(changed.plan.changes);
    expect(changes.map((c) => [c.action, c.key])).toEqual([
      ['update', 'cust-000007'],
      ['update', 'cust-000250'],
      ['update', 'cust-000499'],
      ['create', 'cust-900000'],
    ]);
    expect(changes[0]!.changedFields).toEqual(['firstname']);
    expect(changed.plan.ignored.delete).toBe(1);
  });

  it('are all proposed again when the mapping sends a column to another field', async () => {
    p = await createMemoryProject({ rows: 50 });
    engine = await openEngine(p.project.dir);
    await engine.apply(await engine.plan());
    await engine.close();

    const file = p.project.path('syncs/contacts.sync.ts');
    p.project.write('syncs/contacts.sync.ts', readFileSync(file, 'utf8').replace("firstname: 'first_name'", "first_name: 'first_name'"));
    engine = await openEngine(p.project.dir);
    const { plan, summary } = await planContacts(engine);
    expect(summary.unchanged).toBe(0);
    expect(plan.totals.update).toBe(50);
    // The new field is sent; the old one is left as it is in the destination, not cleared.
    expect((await collectChanges(plan.changes, 1))[0]!.changedFields).toEqual(['first_name']);
    expect(plan.noLongerMapped).toEqual({ fields: ['firstname'], snapshotOnly: 0 });
  });
});
