import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryProject } from '../support/memory-project.ts';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
import { ManualClock } from './support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from './support/scheduled-project.ts';

let p: MemoryProject | undefined;
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await p?.close();
  p = undefined;
});

const T0 = Date.parse('2031-03-01T09:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every run the scheduler finished, in order. */
function recorder() {
  const started: string[] = [];
  const finished: CycleReport[] = [];
  const timeline: string[] = [];
  return {
    started,
    finished,
    timeline,
    observer: {
      cycleStarted(sync: string): void {
        started.push(sync);
        timeline.push(`start ${sync}`);
      },
      cycleFinished(r: CycleReport): void {
        finished.push(r);
        timeline.push(`end ${r.sync}`);
      },
    },
  };
}

async function open(clock: ManualClock, observer: ReturnType<typeof recorder>['observer']) {
  const h = await openHarness(p!.project.dir, clock, { observer });
  harnesses.push(h);
  return h;
}

async function tickAndSettle(h: Harness) {
  await h.scheduler.tick();
  await h.scheduler.idle();
}

describe('schedules', () => {
  it('runs a never-run sync at once, then on its slots; after downtime a missed schedule runs once', async () => {
    p = await createScheduledProject({ rows: 20, contacts: "schedule: { every: '1h' }," });
    const clock = new ManualClock(T0);
    const runs = recorder();
    const first = await open(clock, runs.observer);
    await tickAndSettle(first);
    expect(runs.finished.map((r) => [r.sync, r.outcome, r.apply?.delivered])).toEqual([['contacts', 'succeeded', 20]]);
    clock.set(T0 + 59 * MINUTE);
    await tickAndSettle(first);
    expect(runs.finished).toHaveLength(1);
    clock.set(T0 + HOUR);
    await tickAndSettle(first);
    expect(runs.finished).toHaveLength(2);
    expect(runs.finished[1]!.message).toBe('no changes');

    // Down for five hours (the process stops), while the model changes.
    first.scheduler.stop();
    await first.close();
    harnesses.length = 0;
    await p.sql(`update customers set first_name = 'Changed' where customer_id = 'cust-000003'`);
    clock.set(T0 + 6 * HOUR + 10 * MINUTE);
    const second = await open(clock, runs.observer);
    await tickAndSettle(second);
    await tickAndSettle(second);
    // Five missed slots (2h…6h), one run; it delivers what changed meanwhile.
    expect(runs.finished).toHaveLength(3);
    expect(runs.finished[2]!.apply?.delivered).toBe(1);
    expect(p.destination().get('cust-000003')).toMatchObject({ firstname: 'Changed' });
    // The grid is kept: the next slot is 7h, not 6h10m + 1h.
    clock.set(T0 + 7 * HOUR - 1);
    await tickAndSettle(second);
    expect(runs.finished).toHaveLength(3);
    clock.set(T0 + 7 * HOUR);
    await tickAndSettle(second);
    expect(runs.finished).toHaveLength(4);
  });

  it('follows cron slots in the sync timezone', async () => {
    // 09:30 every day in Paris, i.e. 08:30 UTC in March.
    p = await createScheduledProject({ rows: 3, contacts: "schedule: { cron: '30 9 * * *', timezone: 'Europe/Paris' }," });
    const clock = new ManualClock(T0);
    const runs = recorder();
    const h = await open(clock, runs.observer);
    await tickAndSettle(h); // never run: runs at once
    clock.set(Date.parse('2031-03-02T08:29:59.000Z'));
    await tickAndSettle(h);
    expect(runs.finished).toHaveLength(1);
    clock.set(Date.parse('2031-03-02T08:30:00.000Z'));
    await tickAndSettle(h);
    expect(runs.finished).toHaveLength(2);
  });

  it('starts a sync only after the syncs it depends on that are due with it, runs others alongside, never more than `concurrency`', async () => {
    const companies = `source: { connection: 'warehouse', query: 'select customer_id, email from customers' },
  key: 'customer_id',
  destination: { connection: 'crm', object: 'companies', matchOn: 'external_id' },
  mapping: { external_id: 'customer_id', domain: 'email' },
  schedule: { every: '1h' },`;
    const leads = companies.replace("object: 'companies'", "object: 'leads'");
    p = await createScheduledProject({
      rows: 300,
      connection: { maxConcurrent: 1, maxBatchSize: 50 },
      contacts: "schedule: { every: '1h' }, dependsOn: ['companies'],",
      extraSyncs: { companies, leads },
      config: 'scheduler: { concurrency: 2 },',
    });
    p.sandbox.knobs.delayMs = 25;
    const clock = new ManualClock(T0);
    const runs = recorder();
    let running = 0;
    let maxRunning = 0;
    const h = await open(clock, {
      cycleStarted: (sync: string) => {
        runs.observer.cycleStarted(sync);
        maxRunning = Math.max(maxRunning, ++running);
      },
      cycleFinished: (r: CycleReport) => {
        running -= 1;
        runs.observer.cycleFinished(r);
      },
    });
    await tickAndSettle(h);
    const at = (event: string) => runs.timeline.indexOf(event);
    expect(runs.finished.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(at('start contacts')).toBeGreaterThan(at('end companies'));
    // leads does not wait for companies: both start before either ends.
    expect(at('start leads')).toBeLessThan(at('end companies'));
    expect(maxRunning).toBe(2);
    expect(p.sandbox.records('companies')).toHaveLength(300);
    expect(p.sandbox.records('contacts')).toHaveLength(300);
  });

  it('never starts a sync while its previous run is still going; the slots it missed run once after', async () => {
    p = await createScheduledProject({ rows: 400, connection: { maxConcurrent: 1, maxBatchSize: 50 }, contacts: "schedule: { every: '1m' }," });
    p.sandbox.knobs.delayMs = 40;
    const clock = new ManualClock(T0);
    const runs = recorder();
    const h = await open(clock, runs.observer);
    await h.scheduler.tick();
    // Three more slots pass while the first run is still applying.
    for (const minute of [1, 2, 3]) {
      clock.set(T0 + minute * MINUTE);
      await h.scheduler.tick();
      expect(runs.started).toEqual(['contacts']);
    }
    expect(p.destination().size).toBeLessThan(400);
    await h.scheduler.idle();
    expect(runs.finished).toHaveLength(1);
    await tickAndSettle(h);
    expect(runs.started).toEqual(['contacts', 'contacts']);
    expect(runs.finished[1]!.message).toBe('no changes');
    await tickAndSettle(h);
    expect(runs.started).toHaveLength(2);
  });

  it('skips a run while another process holds the sync lock, and records nothing against it', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1h' }," });
    const clock = new ManualClock(T0);
    const runs = recorder();
    const h = await open(clock, runs.observer);
    await h.project.store.acquireLock({ sync: 'contacts', holder: 'elsewhere/1/apply', ttlMs: 60_000 });
    await tickAndSettle(h);
    expect(runs.finished.map((r) => r.outcome)).toEqual(['busy']);
    expect(p.destination().size).toBe(0);
    expect(await h.project.store.readHealth('contacts')).toBeNull();
  });
});
