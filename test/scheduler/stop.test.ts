import { afterEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
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

describe('stopping the scheduler mid-apply', () => {
  it('sends no further batch, records the unsent changes as neither delivered nor failed, and alerts nothing', async () => {
    p = await createScheduledProject({ rows: 600, connection: { maxConcurrent: 1, maxBatchSize: 50 }, contacts: "schedule: { every: '1h' }," });
    p.sandbox.knobs.delayMs = 60;
    const clock = new ManualClock(Date.parse('2031-03-01T09:00:00.000Z'));
    const reports: CycleReport[] = [];
    h = await openHarness(p.project.dir, clock, { observer: { cycleFinished: (r) => void reports.push(r) } });
    await h.scheduler.tick();
    while (p.sandbox.stats().requests < 3) await new Promise((r) => setTimeout(r, 10));
    h.scheduler.stop();
    await h.scheduler.idle();

    const [report] = reports;
    const landed = p.destination().size;
    expect(report).toMatchObject({ outcome: 'interrupted', apply: { status: 'partial', delivered: landed, failed: 0, unsent: 600 - landed } });
    expect(landed).toBeLessThan(600);
    const { store } = h.project;
    expect(await store.countRows('contacts')).toBe(landed);
    expect(await store.countRowErrors('contacts')).toBe(0);
    expect(await store.pendingSummary('contacts')).toMatchObject({ count: 600 - landed });
    // An interrupted run is neither a success nor a failure, and raises no alert.
    expect(await store.readHealth('contacts')).toMatchObject({ lastFinishedAt: null, consecutiveFailures: 0 });
    expect(await store.listAlertStates()).toEqual([]);
    // A stopped scheduler starts nothing more.
    await h.scheduler.tick();
    expect(reports).toHaveLength(1);
  });
});
