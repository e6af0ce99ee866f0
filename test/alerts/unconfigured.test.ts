import { readFileSync, renameSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/alert-manager.ts';
import { webhookChannel } from '../../src/alerts/channels/webhook.ts';
import type { Finding } from '../../src/alerts/rules.ts';
import { runCli } from '../../src/cli/main.ts';
import type { ResolvedSync } from '../../src/core/sync.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openSqliteSnapshotStore, type SqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { captureIo } from '../support/capture-io.ts';
import type { MemoryProject } from '../support/memory-project.ts';
import { createTestProject, type TestProject } from '../support/project.ts';
import { ManualClock } from '../scheduler/support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from '../scheduler/support/scheduled-project.ts';
import { startAlertReceiver, type AlertReceiver } from './support/alert-receiver.ts';

let p: MemoryProject | undefined;
let receiver: AlertReceiver | undefined;
let dir: TestProject | undefined;
let store: SqliteSnapshotStore | undefined;
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await receiver?.close();
  await store?.close();
  await p?.close();
  dir?.cleanup();
  p = receiver = dir = store = undefined;
});

const summary = () => receiver!.accepted().map((c) => `${c.json['status']} ${c.json['sync']} ${c.json['rule']} ${c.json['severity']}: ${c.json['message']}`);

/** A scheduler process over the project as its files are now, ticked once at `at`. */
async function schedulerAt(at: number) {
  const h = await openHarness(p!.project.dir, new ManualClock(at), { env: { ALERT_SECRET: 's' } });
  harnesses.push(h);
  await h.scheduler.tick();
  await h.scheduler.idle();
  return h;
}

async function check() {
  const io = captureIo(p!.project.dir, { ALERT_SECRET: 's' });
  const code = await runCli(['status', '--check'], io);
  return { code, out: io.stdout() };
}

describe('alerts whose rule the configuration no longer judges', () => {
  it('a failure-rate critical is resolved once sla.maxFailureRate is removed: by `ebb status --check` at once, and with a RESOLVED at the next start', async () => {
    receiver = await startAlertReceiver();
    p = await createScheduledProject({
      rows: 10,
      contacts: "schedule: { every: '1h' }, sla: { maxFailureRate: 0.1 },",
      config: `alerts: { channels: [{ kind: 'webhook', url: '${receiver.url}', secret: env('ALERT_SECRET') }] },`,
    });
    for (const key of ['cust-000001', 'cust-000002', 'cust-000003']) p.sandbox.knobs.rejectKeys[key] = 'invalid email';
    const now = Date.now();
    const first = await schedulerAt(now);
    expect(summary()).toEqual(['firing contacts failure-rate critical: 3 of 10 row(s) rejected in the last run (30%; SLA 10%). See why with `ebb errors contacts`']);
    expect((await check()).code).toBe(2);
    await first.close();
    harnesses.length = 0;

    const file = p.project.path('syncs/contacts.sync.ts');
    p.project.write('syncs/contacts.sync.ts', readFileSync(file, 'utf8').replace(' sla: { maxFailureRate: 0.1 },', ''));
    // No scheduler has run on the new configuration yet: the recorded critical no longer counts.
    const stale = await check();
    expect(stale.out).not.toContain('failure-rate');
    expect(stale.code).toBe(0);

    await schedulerAt(now + 1_000); // not due: no run judges the rule again
    expect(summary()).toEqual([
      'firing contacts failure-rate critical: 3 of 10 row(s) rejected in the last run (30%; SLA 10%). See why with `ebb errors contacts`',
      "resolved contacts failure-rate ok: no longer configured: the sync's sla.maxFailureRate was removed",
    ]);
  });

  it('a renamed sync\'s firing alerts are resolved at the next start', async () => {
    receiver = await startAlertReceiver();
    p = await createScheduledProject({
      rows: 5,
      contacts: "schedule: { every: '1h' },",
      config: `alerts: { channels: [{ kind: 'webhook', url: '${receiver.url}', secret: env('ALERT_SECRET') }] },`,
    });
    p.sandbox.knobs.failNext = 1_000_000;
    const now = Date.now();
    const first = await schedulerAt(now);
    expect(summary()).toEqual([expect.stringMatching(/^firing contacts apply-failed critical: apply failed: 0 of 5/)]);
    await first.close();
    harnesses.length = 0;

    p.sandbox.knobs.failNext = 0;
    renameSync(p.project.path('syncs/contacts.sync.ts'), p.project.path('syncs/customers.sync.ts'));
    await schedulerAt(now + 1_000);
    expect(summary().slice(1)).toEqual(['resolved contacts apply-failed ok: no longer configured: the sync was renamed or removed from syncs/']);
    expect((await check()).code).toBe(0);
  });
});

describe('resolving at start what the configuration can no longer raise', () => {
  const T0 = Date.parse('2031-03-01T09:00:00.000Z');
  const sync = (name: string, extra: Partial<ResolvedSync> = {}): ResolvedSync => ({
    name, file: `syncs/${name}.sync.ts`, source: { connection: 'w', query: 'q' }, key: 'id',
    destination: { connection: 'crm', object: 'contacts', matchOn: 'id', matchIgnoresCase: false }, mapping: [{ to: 'id', from: 'id', sensitive: false }],
    mode: 'upsert', deleteGuard: { maxDeletePercent: 20, blockWhenModelEmpty: true }, dependsOn: [], readBatchSize: 100, readTimeoutMs: 60_000, definitionHash: 'h',
    ...extra,
  });

  it('resolves each with why, once, and leaves alone what is still judged', async () => {
    receiver = await startAlertReceiver();
    dir = createTestProject();
    store = openSqliteSnapshotStore(dir.path('snapshot.sqlite'));
    const manager = (syncs: ResolvedSync[]) =>
      new AlertManager({ store: store!, clock: new ManualClock(T0), logger: silentLogger(), syncs, channels: [webhookChannel({ name: 'hook', url: receiver!.url, secret: 's', headers: {}, timeoutMs: 1000, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {} })] });
    const sla = { freshnessMs: 60_000, maxBacklog: 10, maxFailureRate: 0.1, backlogWarnRatio: 0.5 };
    const before = [sync('contacts', { schedule: { everyMs: 60_000 }, sla }), sync('companies')];
    const firing = (s: string, rule: Finding['rule'], severity: Finding['severity'] = 'critical'): Finding => ({ sync: s, rule, severity, message: 'firing' });
    const old = manager(before);
    await old.observe([firing('contacts', 'freshness'), firing('contacts', 'backlog', 'warning'), firing('contacts', 'not-running'), firing('contacts', 'failure-rate'), firing('contacts', 'apply-failed'), firing('companies', 'plan-failed')]);
    await old.settled();
    const fired = receiver.accepted().length;
    expect(fired).toBe(6);

    // contacts loses its SLAs and schedule; companies is removed.
    const after = [sync('contacts')];
    const restarted = manager(after);
    await restarted.deliverOutbox();
    await restarted.settled();
    expect(summary().slice(fired).sort()).toEqual([
      "resolved companies plan-failed ok: no longer configured: the sync was renamed or removed from syncs/",
      "resolved contacts backlog ok: no longer configured: the sync's sla.maxBacklog was removed",
      "resolved contacts failure-rate ok: no longer configured: the sync's sla.maxFailureRate was removed",
      "resolved contacts freshness ok: no longer configured: the sync's sla.freshness was removed",
      "resolved contacts not-running ok: no longer configured: the sync's schedule was removed",
    ]);
    expect((await store.listAlertStates()).filter((s) => s.severity !== 'ok').map((s) => `${s.sync} ${s.rule}`)).toEqual(['contacts apply-failed']);
    // Another start finds nothing more to resolve.
    const again = manager(after);
    await again.deliverOutbox();
    await again.settled();
    expect(receiver.accepted()).toHaveLength(fired + 5);
  });
});
