import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/connectors/webhook/signature.ts';
import type { MemoryProject } from '../support/memory-project.ts';
import { ManualClock } from '../scheduler/support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from '../scheduler/support/scheduled-project.ts';
import { startAlertReceiver, type AlertReceiver } from './support/alert-receiver.ts';

let p: MemoryProject | undefined;
let receiver: AlertReceiver | undefined;
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await receiver?.close();
  await p?.close();
  p = receiver = undefined;
});

const SECRET = 'alert-signing-secret';
const T0 = Date.parse('2031-03-01T09:00:00.000Z');
const MINUTE = 60_000;

/** A project whose alerts go to a local webhook receiver, signed with SECRET. */
async function project(options: { rows: number; contacts: string }) {
  receiver = await startAlertReceiver();
  p = await createScheduledProject({
    ...options,
    config: `alerts: { channels: [{ kind: 'webhook', url: '${receiver.url}', secret: env('ALERT_SECRET') }] },`,
  });
  return p;
}

async function open(clock: ManualClock) {
  const h = await openHarness(p!.project.dir, clock, { env: { ALERT_SECRET: SECRET } });
  harnesses.push(h);
  return h;
}

async function runAt(h: Harness, clock: ManualClock, at: number) {
  clock.set(at);
  await h.scheduler.tick();
  await h.scheduler.idle();
}

const summary = () => receiver!.accepted().map((c) => `${c.json['status']} ${c.json['rule']} ${c.json['severity']}`);
/** The alerts of one rule, for tests about it whose rejected rows also raise failure-rate warnings. */
const summaryOf = (rule: string) => summary().filter((line) => line.split(' ')[1] === rule);

describe('alerts on the webhook channel', () => {
  it('a destination failing every call raises exactly one firing alert, signed, and one resolved alert when it recovers', async () => {
    await project({ rows: 20, contacts: "schedule: { every: '1h' }," });
    p!.sandbox.knobs.failNext = 1_000_000;
    const clock = new ManualClock(T0);
    let h = await open(clock);
    await runAt(h, clock, T0);
    await runAt(h, clock, T0 + 60 * MINUTE);
    // A restart in between must not re-send: the state lives in the snapshot file.
    await h.close();
    harnesses.length = 0;
    h = await open(clock);
    await runAt(h, clock, T0 + 120 * MINUTE);
    expect(await h.project.store.readHealth('contacts')).toMatchObject({ lastOutcome: 'failed', consecutiveFailures: 3 });
    expect(summary()).toEqual(['firing apply-failed critical']);

    const [firing] = receiver!.accepted();
    const headers = firing!.headers;
    expect(verifyWebhookSignature(SECRET, headers['ebb-timestamp'] as string, firing!.body, headers['ebb-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature('another-secret', headers['ebb-timestamp'] as string, firing!.body, headers['ebb-signature'] as string)).toBe(false);
    expect(headers['idempotency-key']).toBe(firing!.json['id']);
    expect(firing!.json).toMatchObject({ type: 'ebb.alert', sync: 'contacts', rule: 'apply-failed', status: 'firing', severity: 'critical', previousSeverity: 'ok' });
    expect(firing!.json['message']).toMatch(/apply failed: 0 of 20 change\(s\) delivered/);

    p!.sandbox.knobs.failNext = 0;
    await runAt(h, clock, T0 + 180 * MINUTE);
    await runAt(h, clock, T0 + 240 * MINUTE);
    expect(p!.destination().size).toBe(20);
    expect(summary()).toEqual(['firing apply-failed critical', 'resolved apply-failed ok']);
    const resolved = receiver!.accepted()[1]!;
    expect(resolved.json).toMatchObject({ previousSeverity: 'critical' });
    expect(resolved.json['id']).not.toBe(firing!.json['id']);
    expect(verifyWebhookSignature(SECRET, resolved.headers['ebb-timestamp'] as string, resolved.body, resolved.headers['ebb-signature'] as string)).toBe(true);
    // Nothing was sent that the receiver did not accept (no retries, no extra calls).
    expect(receiver!.calls).toHaveLength(2);
  });

  it('a sync whose lag passes its freshness SLA alerts although its runs still partly succeed', async () => {
    await project({ rows: 20, contacts: "schedule: { every: '10m' }, sla: { freshness: '30m' }," });
    p!.sandbox.knobs.rejectKeys['cust-000007'] = 'email is not valid';
    const clock = new ManualClock(T0);
    const h = await open(clock);
    for (let minute = 0; minute <= 30; minute += 10) {
      // Every run has fresh changes to deliver, and delivers them.
      await p!.sql(`update customers set first_name = 'Run${minute}' where customer_id = 'cust-000011'`);
      await runAt(h, clock, T0 + minute * MINUTE);
      expect(p!.destination().get('cust-000011')).toMatchObject({ firstname: `Run${minute}` });
    }
    // 30 minutes old is within the SLA; the oldest pending change has waited since T0.
    expect(summaryOf('freshness')).toEqual([]);
    expect(await h.project.store.readHealth('contacts')).toMatchObject({ lastOutcome: 'partial', consecutiveFailures: 0 });
    await p!.sql(`update customers set first_name = 'Run40' where customer_id = 'cust-000011'`);
    await runAt(h, clock, T0 + 40 * MINUTE);
    expect(summaryOf('freshness')).toEqual(['firing freshness critical']);
    expect(receiver!.accepted().find((c) => c.json['rule'] === 'freshness')!.json['message']).toMatch(/delivery lag 40m exceeds the 30m SLA/);

    delete p!.sandbox.knobs.rejectKeys['cust-000007'];
    await runAt(h, clock, T0 + 50 * MINUTE);
    expect(summaryOf('freshness')).toEqual(['firing freshness critical', 'resolved freshness ok']);
  });

  it('warns when the backlog reaches 50% of maxBacklog, escalates past it, and resolves once delivered', async () => {
    await project({ rows: 40, contacts: "schedule: { every: '10m' }, sla: { maxBacklog: 30 }," });
    const reject = (count: number) => {
      p!.sandbox.knobs.rejectKeys = {};
      for (let i = 1; i <= count; i += 1) p!.sandbox.knobs.rejectKeys[`cust-${String(i).padStart(6, '0')}`] = 'busy';
    };
    reject(15);
    const clock = new ManualClock(T0);
    const h = await open(clock);
    await runAt(h, clock, T0);
    expect(summaryOf('backlog')).toEqual(['firing backlog warning']);
    expect(receiver!.accepted().find((c) => c.json['rule'] === 'backlog')!.json['message']).toBe('15 pending change(s) of a 30 backlog limit: at 50%, past the 50% warning level');

    await p!.sql(`update customers set first_name = 'Changed'`);
    reject(31);
    await runAt(h, clock, T0 + 10 * MINUTE);
    expect(summaryOf('backlog')).toEqual(['firing backlog warning', 'firing backlog critical']);
    expect(receiver!.accepted().filter((c) => c.json['rule'] === 'backlog')[1]!.json).toMatchObject({ previousSeverity: 'warning' });

    reject(0);
    await runAt(h, clock, T0 + 20 * MINUTE);
    expect(summaryOf('backlog')).toEqual(['firing backlog warning', 'firing backlog critical', 'resolved backlog ok']);
  });

  it('rows the destination rejects alert without any SLA set: a warning while some fail, critical once nothing gets through', async () => {
    await project({ rows: 4, contacts: "schedule: { every: '10m' }," });
    p!.sandbox.knobs.rejectKeys['cust-000002'] = 'email is not valid';
    const clock = new ManualClock(T0);
    const h = await open(clock);
    await runAt(h, clock, T0);
    expect(summary()).toEqual(['firing failure-rate warning']);
    expect(receiver!.accepted()[0]!.json['message']).toBe('1 of 4 row(s) rejected in the last run (25%). See why with `ebb errors contacts` (set sla.maxFailureRate to make a rate above it critical)');

    // Every row refused: the run delivered nothing, which is a failed run, not a partial success.
    for (let i = 1; i <= 4; i += 1) p!.sandbox.knobs.rejectKeys[`cust-00000${i}`] = 'email is not valid';
    await p!.sql(`update customers set first_name = 'Changed'`);
    await runAt(h, clock, T0 + 10 * MINUTE);
    expect(summaryOf('apply-failed')).toEqual(['firing apply-failed critical']);
    expect(await h.project.store.readHealth('contacts')).toMatchObject({ lastOutcome: 'failed', consecutiveFailures: 1 });

    p!.sandbox.knobs.rejectKeys = {};
    await runAt(h, clock, T0 + 20 * MINUTE);
    expect(summary()).toEqual(['firing failure-rate warning', 'firing apply-failed critical', 'resolved apply-failed ok', 'resolved failure-rate ok']);
  });

  it('a quiet sync with one row always rejected is still running: its runs re-send that row alone, and only failure-rate says so', async () => {
    await project({ rows: 5, contacts: "schedule: { every: '10m' }," });
    p!.sandbox.knobs.rejectKeys['cust-000003'] = 'email is not valid';
    const clock = new ManualClock(T0);
    const h = await open(clock);
    for (let run = 0; run <= 5; run += 1) await runAt(h, clock, T0 + run * 10 * MINUTE);
    // Five runs in a row delivered nothing (0 of 1): not a sync that stopped running, nor a destination refusing everything.
    expect(summary()).toEqual(['firing failure-rate warning']);
    expect(await h.project.store.readHealth('contacts')).toMatchObject({ lastOutcome: 'partial', consecutiveFailures: 0 });
  });

  it('one row always rejected fires one failure-rate alert, however each run is sized, until it is delivered', async () => {
    await project({ rows: 20, contacts: "schedule: { every: '10m' }, sla: { maxFailureRate: 0.05 }," });
    p!.sandbox.knobs.rejectKeys['cust-000007'] = 'email is not valid';
    const clock = new ManualClock(T0);
    const h = await open(clock);
    // 19 of 20 delivered: 5%, within the SLA.
    await runAt(h, clock, T0);
    expect(summary()).toEqual([]);
    // Runs that re-send only the stuck row (1 of 1 rejected) alternate with runs that change every row
    // (1 of 20): judged one run at a time, that is 100%, 5%, 100%, ... and a page each time.
    for (let run = 1; run <= 6; run += 1) {
      if (run % 2 === 0) await p!.sql(`update customers set first_name = 'Run${run}'`);
      await runAt(h, clock, T0 + run * 10 * MINUTE);
      expect(summary()).toEqual(['firing failure-rate critical']);
    }
    expect(p!.destination().get('cust-000011')).toMatchObject({ firstname: 'Run6' });
    expect(receiver!.accepted()[0]!.json['message']).toBe('2 of 21 row(s) rejected over the last 2 runs (9.5%; SLA 5%). See why with `ebb errors contacts`');
    // The history the window is read from records the rejections of each run.
    const runs = await h.project.store.listRuns({ sync: 'contacts', limit: 2 });
    expect(runs.map(({ status, delivered, failed, rejected }) => ({ status, delivered, failed, rejected }))).toEqual([
      { status: 'partial', delivered: 19, failed: 1, rejected: 1 },
      { status: 'failed', delivered: 0, failed: 1, rejected: 1 },
    ]);

    // The row is fixed: the run that delivers it resolves at once, without waiting for the window to clear.
    delete p!.sandbox.knobs.rejectKeys['cust-000007'];
    await runAt(h, clock, T0 + 70 * MINUTE);
    expect(p!.destination().size).toBe(20);
    expect(summary()).toEqual(['firing failure-rate critical', 'resolved failure-rate ok']);
    expect(receiver!.accepted()[1]!.json['message']).toBe('0 of 1 row(s) rejected in the last run (0%; SLA 5%)');
  });

  it('alerts on a timer when a scheduled sync stops succeeding, even with no run to judge', async () => {
    await project({ rows: 5, contacts: "schedule: { every: '10m' }," });
    const clock = new ManualClock(T0);
    const h = await open(clock);
    await runAt(h, clock, T0);
    // The warehouse disappears: every plan from now on fails, and the failures alert.
    p!.project.write('warehouse.duckdb', '');
    await runAt(h, clock, T0 + 10 * MINUTE);
    expect(summary()).toEqual(['firing plan-failed critical']);
    await runAt(h, clock, T0 + 20 * MINUTE);
    // Two slots and the grace (1 minute) after the last success: no longer running.
    await runAt(h, clock, T0 + 21 * MINUTE + 1);
    expect(summary()).toEqual(['firing plan-failed critical', 'firing not-running critical']);
    expect(receiver!.accepted()[1]!.json['message']).toMatch(/no successful run since 2031-03-01T09:00:00.000Z \(scheduled every 10m\)\. Last cycle: plan-failed/);
  });
});
