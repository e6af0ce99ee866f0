import { afterEach, describe, expect, it } from 'vitest';
import type { PruneResult } from '../../src/snapshot/store.ts';
import type { MemoryProject } from '../support/memory-project.ts';
import { ManualClock } from './support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from './support/scheduled-project.ts';

let p: MemoryProject | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await p?.close();
  p = h = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('retention', () => {
  it('prunes old runs and stale row errors at most hourly, keeping the latest run, errors of keys still pending, and the snapshot', async () => {
    p = await createScheduledProject({ rows: 20, contacts: "schedule: { every: '100d' },", config: 'retention: { days: 30 },' });
    const start = Date.now();
    const clock = new ManualClock(start);
    const prunes: PruneResult[] = [];
    h = await openHarness(p.project.dir, clock, { engineClock: clock, observer: { pruned: (result) => void prunes.push(result) } });
    const { store } = h.project;
    const contacts = h.project.config.syncs[0]!;
    await h.scheduler.tick(); // first run delivers everything; nothing is old yet
    await h.scheduler.idle();
    expect(prunes).toEqual([{ runs: 0, rowErrors: 0, alertStates: 0, heartbeats: 0 }]);

    // Two updates are rejected, and nothing else is sent: a failed run. One is then reverted in the
    // warehouse, so it is no longer pending and its error is stale; the other stays pending and keeps
    // failing, alone (a row already failing, rejected again: the cycle still counts as running).
    await p.sql(`update customers set first_name = 'Bad' where customer_id in ('cust-000001', 'cust-000002')`);
    p.sandbox.knobs.rejectKeys = { 'cust-000001': 'still wrong', 'cust-000002': 'wrong' };
    clock.set(start + HOUR);
    expect(await h.runtime.runCycle(contacts, { allowDeletes: false })).toMatchObject({ outcome: 'failed', pending: { count: 2 } });
    await p.sql(`update customers set first_name = 'First2' where customer_id = 'cust-000002'`);
    clock.set(start + 2 * HOUR);
    expect(await h.runtime.runCycle(contacts, { allowDeletes: false })).toMatchObject({ outcome: 'partial', pending: { count: 1 } });
    expect((await store.listRowErrors({ sync: 'contacts', limit: 10 })).map((e) => e.key)).toEqual(['cust-000001', 'cust-000002']);
    expect(await store.listRuns({ sync: 'contacts', limit: 10 })).toHaveLength(3);

    clock.set(start + 40 * DAY);
    await h.scheduler.tick();
    // This scheduler's own heartbeat was 40 days old too; it beats again right after.
    expect(prunes[1]).toEqual({ runs: 1, rowErrors: 1, alertStates: 0, heartbeats: 1 });
    expect(await store.listHeartbeats()).toHaveLength(1);
    // The latest run (and the latest successful one, the first) stay; so do the snapshot and the live error.
    expect((await store.listRuns({ sync: 'contacts', limit: 10 })).map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect((await store.listRowErrors({ sync: 'contacts', limit: 10 })).map((e) => e.key)).toEqual(['cust-000001']);
    expect(await store.countRows('contacts')).toBe(20);

    clock.set(start + 40 * DAY + 59 * 60_000);
    await h.scheduler.tick();
    expect(prunes).toHaveLength(2);
    clock.set(start + 40 * DAY + HOUR);
    await h.scheduler.tick();
    expect(prunes).toHaveLength(3);
  });
});
