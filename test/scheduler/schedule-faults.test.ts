import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../src/cli/project.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
import type { MemoryProject } from '../support/memory-project.ts';
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
const HOUR = 3_600_000;
const TICK_MS = 5_000;

const LEADS = `source: { connection: 'warehouse', query: 'select customer_id, email from customers' },
  key: 'customer_id',
  destination: { connection: 'crm', object: 'leads', matchOn: 'external_id' },
  mapping: { external_id: 'customer_id', email: 'email' },
  schedule: { every: '1h' },`;

/** A ManualClock that also keeps how long the scheduler's loop asked to sleep each time. */
class SleepRecordingClock extends ManualClock {
  readonly sleeps: number[] = [];

  override sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return super.sleep(ms);
  }
}

interface LogLine {
  level: number;
  event?: string;
  context?: string;
  what?: string;
  msg: string;
}

/** The harness with the scheduler's real log observer writing into `lines`, and every finished run in `finished`. */
async function open(clock: ManualClock, prepare?: (project: Project) => void) {
  const lines: LogLine[] = [];
  const finished: CycleReport[] = [];
  const evaluated: string[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const h = await openHarness(p!.project.dir, clock, { logger, observer: { cycleFinished: (r) => void finished.push(r), stateEvaluated: (s) => void evaluated.push(s.name) } }, prepare);
  harnesses.push(h);
  const runsOf = (sync: string) => finished.filter((r) => r.sync === sync).length;
  return { h, lines, finished, evaluated, runsOf, errors: () => lines.filter((l) => l.event === 'scheduler-error'), skews: () => lines.filter((l) => l.event === 'clock-skew') };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The loader refuses a cron no date matches; the scheduler must still survive one (a croner edge it missed). */
const feb30 = (project: Project) => {
  project.config.syncs.find((s) => s.name === 'contacts')!.schedule = { cron: '0 0 30 2 *' };
};

describe('a schedule without a next slot', () => {
  it('takes only its sync off the schedule, logs it once, alerts not-running, and the loop waits a tick instead of spinning', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1h' },", extraSyncs: { leads: LEADS }, config: `scheduler: { tick: '${TICK_MS}ms' },` });
    const clock = new SleepRecordingClock(T0);
    const s = await open(clock, feb30);
    const loop = s.h.scheduler.run();
    await waitFor(() => clock.sleeps.length === 1, 'the first tick');
    await s.h.scheduler.idle();

    // Never run, contacts runs at start like any sync; leads, queued behind it, is not held back.
    expect(s.runsOf('contacts')).toBe(1);
    expect(s.runsOf('leads')).toBe(1);
    expect(clock.sleeps).toEqual([TICK_MS]);
    expect(s.errors().map((l) => [l.level, l.context, l.msg])).toEqual([
      [50, 'schedule of contacts', expect.stringContaining("cron '0 0 30 2 *' has no run after 2031-03-01T09:00:00.000Z")],
    ]);
    expect(s.errors()[0]!.msg).toContain('fix its `schedule` in syncs/contacts.sync.ts, then restart `ebb schedule`');
    // The other sync's state is judged all the same, and contacts' silence is alerted, not only logged.
    expect(s.evaluated).toEqual(expect.arrayContaining(['contacts', 'leads']));
    const alerts = await s.h.project.store.listAlertStates();
    expect(alerts.filter((a) => a.rule === 'not-running').map((a) => [a.sync, a.severity])).toEqual([['contacts', 'critical']]);
    expect(alerts.find((a) => a.rule === 'not-running')!.message).toContain("cron '0 0 30 2 *' has no run after");

    // Later ticks: leads keeps its slots, contacts stays off the schedule, and nothing is logged again.
    clock.advance(HOUR);
    await waitFor(() => clock.sleeps.length === 2, 'the second tick');
    await s.h.scheduler.idle();
    expect([s.runsOf('contacts'), s.runsOf('leads')]).toEqual([1, 2]);
    expect(clock.sleeps[1]).toBe(TICK_MS);
    expect(s.errors()).toHaveLength(1);
    s.h.scheduler.stop();
    await loop;

    // A restart, now that contacts has a recorded start to compute its next slot from.
    const again = await open(new ManualClock(T0 + 2 * HOUR), feb30);
    await again.h.scheduler.tick();
    await again.h.scheduler.idle();
    expect([again.runsOf('contacts'), again.runsOf('leads')]).toEqual([0, 1]);
    expect(again.errors().map((l) => l.context)).toEqual(['schedule of contacts']);
  });
});

describe('a store that fails while the scheduler starts', () => {
  it('is read again at the next tick, so the syncs after the one it failed on are still scheduled', async () => {
    p = await createScheduledProject({ rows: 3, contacts: "schedule: { every: '1h' },", extraSyncs: { leads: LEADS } });
    const s = await open(new ManualClock(T0), (project) => {
      const readHealth = project.store.readHealth.bind(project.store);
      let failures = 1;
      project.store.readHealth = async (sync) => {
        if (sync === 'contacts' && failures-- > 0) throw new Error('database is locked');
        return readHealth(sync);
      };
    });
    await expect(s.h.scheduler.tick()).rejects.toThrow('database is locked');
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    expect([s.runsOf('contacts'), s.runsOf('leads')]).toEqual([1, 1]);
  });
});

describe('a clock that went back', () => {
  it('counts a recorded start later than now as now, so the sync keeps its schedule; says so once', async () => {
    p = await createScheduledProject({ rows: 3, contacts: "schedule: { every: '1h' }," });
    // A run recorded ten hours ahead of the clock (a snapshot from a machine that was ahead, an NTP step back).
    const ahead = await open(new ManualClock(T0 + 10 * HOUR));
    await ahead.h.scheduler.tick();
    await ahead.h.scheduler.idle();
    expect(ahead.runsOf('contacts')).toBe(1);

    const clock = new ManualClock(T0);
    const s = await open(clock);
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    expect(s.runsOf('contacts')).toBe(0);
    clock.set(T0 + HOUR);
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    expect(s.runsOf('contacts')).toBe(1);
    expect(s.skews().map((l) => [l.level, l.what])).toEqual([[40, 'the last start of contacts (2031-03-01T19:00:00.000Z)']]);
    expect(s.skews()[0]!.msg).toContain('is 10h ahead of now');
  });

  it('reschedules from now when the clock steps back while the scheduler runs, and keeps judging the alert rules', async () => {
    p = await createScheduledProject({ rows: 3, contacts: "schedule: { every: '1h' }," });
    const clock = new ManualClock(T0 + 10 * HOUR);
    const s = await open(clock);
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    expect(s.runsOf('contacts')).toBe(1);

    clock.set(T0);
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    const evaluations = s.evaluated.length;
    clock.set(T0 + HOUR);
    await s.h.scheduler.tick();
    await s.h.scheduler.idle();
    expect(s.runsOf('contacts')).toBe(2);
    // Evaluated on its timer again rather than ten hours later.
    expect(s.evaluated.length).toBeGreaterThan(evaluations);
    expect(s.skews().map((l) => l.what)).toEqual(['the previous tick']);
  });
});

describe('syncs waiting for a free slot', () => {
  it('do not make the loop tick every 10 ms: the run that ends starts them', async () => {
    p = await createScheduledProject({
      rows: 200,
      connection: { maxConcurrent: 1, maxBatchSize: 50 },
      contacts: "schedule: { every: '1h' },",
      extraSyncs: { leads: LEADS },
      config: `scheduler: { concurrency: 1, tick: '${TICK_MS}ms' },`,
    });
    p.sandbox.knobs.delayMs = 100;
    const clock = new SleepRecordingClock(T0);
    const s = await open(clock);
    const loop = s.h.scheduler.run();
    await waitFor(() => clock.sleeps.length === 1, 'the first tick');
    // leads was queued behind contacts when the loop went to sleep.
    expect(s.runsOf('contacts')).toBe(0);
    expect(clock.sleeps).toEqual([TICK_MS]);
    await waitFor(() => s.runsOf('leads') === 1, 'leads to run once contacts is done');
    s.h.scheduler.stop();
    await loop;
  });
});
