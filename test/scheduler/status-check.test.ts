import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
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

const MINUTE = 60_000;

async function check(...args: string[]) {
  const io = captureIo(p!.project.dir);
  const code = await runCli(['status', '--check', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

/** A scheduler process whose clock reads `at` (real time is what `ebb status --check` compares with). */
async function schedulerAt(at: number) {
  const clock = new ManualClock(at);
  const h = await openHarness(p!.project.dir, clock);
  harnesses.push(h);
  await h.scheduler.tick();
  await h.scheduler.idle();
  return { h, clock };
}

describe('ebb status --check (exit 0 ok, 1 warning, 2 critical, 3 unknown)', () => {
  it('is critical before any scheduler has run the scheduled syncs, and ok once one runs them', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1m' }," });
    const before = await check();
    expect(before.code).toBe(2);
    expect(before.out).toContain('CRITICAL scheduler: no `ebb schedule` has ever run for this project, but syncs have schedules: start it');
    expect(before.out).toContain('CRITICAL contacts: not-running: scheduled every 1m but has never run: is `ebb schedule` running?');

    await schedulerAt(Date.now());
    const after = await check();
    expect(after.out).toMatch(/^OK\s+scheduler: the scheduler ticked \d+ms ago/);
    expect(after.out).toContain('OK       contacts: lag 0ms, 0 pending');
    expect(after.code).toBe(0);
  });

  it('catches a scheduler that stopped: its last tick and the last successful run are too old for the schedule', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1m' }," });
    await schedulerAt(Date.now() - 10 * MINUTE);
    const result = await check();
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/CRITICAL scheduler: the scheduler last ticked 10m\d*s? ago .*: is `ebb schedule` still running\?/);
    expect(result.out).toMatch(/CRITICAL contacts: not-running: no successful run since .* \(scheduled every 1m\)\. Last cycle: succeeded\./);
  });

  it('catches a scheduler that still ticks but no longer gets a sync through', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1m' }," });
    const { h, clock } = await schedulerAt(Date.now() - 10 * MINUTE);
    // From then on another holder keeps the sync's lock: every slot is skipped, the loop keeps ticking.
    await h.project.store.acquireLock({ sync: 'contacts', holder: 'elsewhere/1/stuck', ttlMs: 3_600_000 });
    for (let minute = 1; minute <= 10; minute += 1) {
      clock.set(Date.now() - (10 - minute) * MINUTE);
      await h.scheduler.tick();
      await h.scheduler.idle();
    }
    const result = await check('--json');
    expect(result.code).toBe(2);
    const parsed = JSON.parse(result.out) as { severity: string; scheduler: { severity: string }; syncs: { sync: string; problems: { rule: string; severity: string }[] }[] };
    expect(parsed.scheduler.severity).toBe('ok');
    expect(parsed.syncs[0]!.problems).toEqual([expect.objectContaining({ rule: 'not-running', severity: 'critical' })]);
  });

  it('is a warning for a backlog past its warning level, and reports run alerts that are firing', async () => {
    p = await createScheduledProject({ rows: 10, contacts: "schedule: { every: '1m' }, sla: { maxBacklog: 8 }," });
    for (const key of ['cust-000001', 'cust-000002', 'cust-000003', 'cust-000004']) p.sandbox.knobs.rejectKeys[key] = 'no';
    const { h, clock } = await schedulerAt(Date.now());
    const warning = await check();
    expect(warning.out).toContain('WARNING  contacts: backlog: 4 pending change(s) of a 8 backlog limit: at 50%, past the 50% warning level');
    expect(warning.code).toBe(1);

    p.sandbox.knobs.failNext = 1_000_000;
    await p.sql(`update customers set first_name = 'Changed' where customer_id = 'cust-000009'`);
    clock.set(clock.now() + MINUTE);
    await h.scheduler.tick();
    await h.scheduler.idle();
    const critical = await check();
    expect(critical.out).toMatch(/CRITICAL contacts: apply-failed: apply failed: 0 of 5 change\(s\) delivered/);
    expect(critical.code).toBe(2);
  });

  it('exits 3 (unknown) when the project cannot be checked', async () => {
    p = await createScheduledProject({ rows: 1, contacts: "schedule: { every: '1m' }," });
    rmSync(p.project.path('syncs'), { recursive: true });
    expect((await check()).code).toBe(3);
  });
});
