import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/alert-manager.ts';
import type { DeliveryRetryPolicy } from '../../src/alerts/channels/http-post.ts';
import { webhookChannel } from '../../src/alerts/channels/webhook.ts';
import type { Finding } from '../../src/alerts/rules.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openSqliteSnapshotStore, type SqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { createTestProject, type TestProject } from '../support/project.ts';
import { ManualClock } from '../scheduler/support/manual-clock.ts';
import { startAlertReceiver, startSilentServer, type AlertReceiver, type SilentServer } from './support/alert-receiver.ts';

let healthy: AlertReceiver | undefined;
let silent: SilentServer | undefined;
let dir: TestProject | undefined;
let store: SqliteSnapshotStore | undefined;
afterEach(async () => {
  await silent?.close();
  await healthy?.close();
  await store?.close();
  dir?.cleanup();
  healthy = silent = dir = store = undefined;
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const findings: Finding[] = (['plan-failed', 'apply-failed', 'backlog'] as const).map((rule) => ({ sync: 'contacts', rule, severity: 'critical', message: `${rule} is firing` }));

/** A healthy webhook and one whose endpoint accepts connections and never answers. */
async function managerWithAHungChannel(options: { timeoutMs: number; retry: DeliveryRetryPolicy; settleWithinMs?: number }) {
  healthy = await startAlertReceiver();
  silent = await startSilentServer();
  dir = createTestProject();
  store = openSqliteSnapshotStore(dir.path('snapshot.sqlite'));
  const channel = (name: string, url: string) => webhookChannel({ name, url, secret: 's', headers: {}, timeoutMs: options.timeoutMs, retry: options.retry, sleep });
  return new AlertManager({
    store,
    clock: new ManualClock(Date.parse('2031-03-01T09:00:00.000Z')),
    logger: silentLogger(),
    // The hung channel first: it must not hold up the healthy one.
    channels: [channel('hung', silent.url), channel('team', healthy.url)],
    ...(options.settleWithinMs !== undefined ? { settleWithinMs: options.settleWithinMs } : {}),
  });
}

describe('alert delivery with a channel that never answers', () => {
  it('delivers the other channels at once, and settling waits only as long as allowed, leaving the rest in the outbox', async () => {
    const manager = await managerWithAHungChannel({ timeoutMs: 5_000, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, settleWithinMs: 300 });
    const started = Date.now();
    await manager.observe(findings);
    // Well before the hung channel's first timeout (5 s), the healthy one has every alert, in order.
    await vi.waitFor(() => expect(healthy!.accepted().map((c) => c.json['rule'])).toEqual(['plan-failed', 'apply-failed', 'backlog']), { timeout: 2_000, interval: 10 });
    expect(Date.now() - started).toBeLessThan(2_000);

    await manager.settled(); // what Scheduler.idle() and `ebb run` wait for on stop
    expect(Date.now() - started).toBeLessThan(2_500);
    const states = await store!.listAlertStates();
    expect(states.map((s) => [s.rule, s.undelivered])).toEqual([
      ['apply-failed', ['hung']],
      ['backlog', ['hung']],
      ['plan-failed', ['hung']],
    ]);
  });

  it('stops trying a channel that gave up for the rest of the pass: the others wait in the outbox, not each for its own timeouts', async () => {
    const manager = await managerWithAHungChannel({ timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    await manager.observe(findings);
    await manager.settled();
    // One notification's two attempts; the two behind it were not tried.
    expect(silent!.requests()).toBe(2);
    expect((await store!.listAlertStates()).every((s) => s.undelivered.join() === 'hung')).toBe(true);
    expect(healthy!.accepted()).toHaveLength(3);
    // The next evaluation tries again, starting with the oldest.
    await manager.deliverOutbox();
    await manager.settled();
    expect(silent!.requests()).toBe(4);
  });
});
