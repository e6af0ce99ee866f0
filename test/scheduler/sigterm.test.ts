import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { startEbb } from '../support/ebb-binary.ts';
import { expectEveryCustomerCreatedOnce, type MemoryProject } from '../support/memory-project.ts';
import { createScheduledProject } from './support/scheduled-project.ts';

let p: MemoryProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ebb schedule and SIGTERM', () => {
  it('finishes the batches in flight, commits them, exits 0, and loses nothing: the rest stay pending and the next run delivers them', async () => {
    p = await createScheduledProject({
      rows: 3000,
      connection: { maxConcurrent: 2 },
      contacts: "schedule: { every: '1h' },",
      config: "scheduler: { metricsPort: 0, tick: '200ms' }, logging: { file: '.ebb/ebb.log' },",
    });
    // Slow answers keep batches in flight when the signal lands.
    p.sandbox.knobs.delayMs = 120;
    const scheduler = startEbb(['schedule'], p.project.dir);
    await waitFor(() => /Metrics: (\S+)\/metrics/.test(scheduler.stdout()), 'the scheduler to start');
    const base = /Metrics: (\S+)\/metrics/.exec(scheduler.stdout())![1]!;
    await waitFor(() => p!.sandbox.stats().requests >= 8, 'the apply to be under way');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('ebb_sync_backlog{sync="contacts"}');

    scheduler.child.kill('SIGTERM');
    const exit = await scheduler.exited;
    expect(exit, scheduler.stdout() + scheduler.stderr()).toEqual({ code: 0, signal: null });
    expect(scheduler.stdout()).toContain('SIGTERM: finishing the batches in flight, then stopping');
    expect(scheduler.stdout()).toContain('Stopped cleanly');

    // Everything the destination holds was acknowledged and committed; nothing is recorded as failed.
    const landed = p.destination().size;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(3000);
    const store = openSqliteSnapshotStore(p.project.path('.ebb/snapshot.sqlite'));
    try {
      expect(await store.countRows('contacts')).toBe(landed);
      expect(await store.countRowErrors('contacts')).toBe(0);
      const [run] = await store.listRuns({ sync: 'contacts', limit: 1 });
      expect(run).toMatchObject({ status: 'partial', delivered: landed, failed: 0 });
      expect(run!.message).toContain(`${3000 - landed} change(s) not sent stay pending`);
    } finally {
      await store.close();
    }
    // Each row went out once: in-flight batches were allowed to finish rather than be cut off.
    const sent = () => p!.sandbox.stats().batchSizes.reduce((a, b) => a + b, 0);
    expect(sent()).toBe(landed);
    const log = readFileSync(p.project.path('.ebb/ebb.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event?: string });
    expect(log.map((l) => l.event)).toEqual(expect.arrayContaining(['scheduler-started', 'scheduler-stopping', 'scheduler-stopped']));

    p.sandbox.knobs.delayMs = 0;
    const next = startEbb(['run', 'contacts'], p.project.dir);
    expect((await next.exited).code, next.stdout() + next.stderr()).toBe(0);
    expect(next.stdout()).toContain(`contacts: succeeded: ${3000 - landed} delivered, 0 failed of ${3000 - landed}`);
    expect(sent()).toBe(3000);
    expectEveryCustomerCreatedOnce(p, 3000);
    const plan = startEbb(['plan', '--detailed-exitcode'], p.project.dir);
    expect((await plan.exited).code, plan.stdout()).toBe(0);
  });
});

describe('ebb run and a second signal', () => {
  it('stops at once (130) while a destination call hangs; the next run re-sends what was in flight without creating it twice', async () => {
    p = await createScheduledProject({ rows: 300, connection: { maxConcurrent: 1, maxBatchSize: 100, timeoutMs: 120_000 } });
    // The first batch lands, then its answer hangs for a minute: the first signal alone would wait it out.
    Object.assign(p.sandbox.knobs, { stallNext: 1, stallMs: 60_000 });
    const run = startEbb(['run', 'contacts'], p.project.dir);
    try {
      await waitFor(() => p!.sandbox.stats().requests >= 1, 'the first batch to be sent');
      run.child.kill('SIGINT');
      await waitFor(() => run.stdout().includes('SIGINT: finishing the batches in flight'), 'the first signal to be handled');
      expect(run.stdout()).toContain('press Ctrl-C again to stop at once');
      run.child.kill('SIGINT');
      const exit = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('still running 15 s after the second signal'), 15_000))]);
      expect(exit, run.output()).toEqual({ code: 130, signal: null });
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    }
    expect(run.stderr()).toContain('Stopped without waiting: batches in flight were not acknowledged');

    const next = startEbb(['run', 'contacts'], p.project.dir);
    expect((await next.exited).code, next.output()).toBe(0);
    expectEveryCustomerCreatedOnce(p, 300);
  });
});
