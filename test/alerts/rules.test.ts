import { describe, expect, it } from 'vitest';
import type { RejectionWindow } from '../../src/alerts/rejection-window.ts';
import { cycleFindings, stateFindings, type Finding } from '../../src/alerts/rules.ts';
import type { ResolvedSync } from '../../src/core/sync.ts';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
import type { SyncHealth } from '../../src/snapshot/store.ts';

const T0 = Date.parse('2031-03-01T09:00:00.000Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function sync(extra: Partial<ResolvedSync> = {}): ResolvedSync {
  return {
    name: 'contacts', file: 'syncs/contacts.sync.ts', source: { connection: 'w', query: 'q' }, key: 'id',
    destination: { connection: 'crm', object: 'contacts', matchOn: 'id', matchIgnoresCase: false }, mapping: [{ to: 'id', from: 'id', sensitive: false }],
    mode: 'upsert', deleteGuard: { maxDeletePercent: 20, blockWhenModelEmpty: true }, dependsOn: [], readBatchSize: 100, readTimeoutMs: 60_000, definitionHash: 'h',
    ...extra,
  };
}

function report(extra: Partial<CycleReport>): CycleReport {
  return {
    sync: 'contacts', outcome: 'succeeded', message: null, startedAt: T0, finishedAt: T0, attempted: 0, rejected: 0, alreadyFailing: 0, account: 'memory:x',
    plan: { changes: 10, totals: { create: 10, update: 0, delete: 0 }, modelRows: 10, errored: false, blocked: null },
    warnings: [],
    apply: { sync: 'contacts', runId: 'r', status: 'succeeded', planned: 10, delivered: 10, failed: 0, apiCalls: 1, rateLimited: 0, message: null },
    pending: { count: 0, oldestFirstSeenAt: null },
    ...extra,
  };
}

const health = (extra: Partial<SyncHealth> = {}): SyncHealth => ({
  sync: 'contacts', trackedSince: iso(T0), lastStartedAt: iso(T0), lastFinishedAt: iso(T0), lastOutcome: 'succeeded', lastMessage: null, lastSuccessAt: iso(T0), consecutiveFailures: 0, ...extra,
});

const severities = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.rule, f.severity]));

describe('rules judged on a run', () => {
  it('a clean run resolves the run rules', () => {
    expect(severities(cycleFindings(sync(), report({})))).toEqual({ 'plan-failed': 'ok', 'guard-blocked': 'ok', 'apply-failed': 'ok' });
  });

  it('a failed plan, a blocked plan and a failed apply are critical; a busy or interrupted run judges nothing', () => {
    expect(severities(cycleFindings(sync(), report({ outcome: 'plan-failed', message: 'no such table' })))).toEqual({ 'plan-failed': 'critical' });
    expect(severities(cycleFindings(sync(), report({ outcome: 'blocked', message: 'blocked: 80%' })))).toEqual({ 'plan-failed': 'ok', 'guard-blocked': 'critical' });
    const failed = report({ outcome: 'failed', apply: { ...report({}).apply!, status: 'failed', delivered: 0, failed: 10, message: 'stopped: 500' } });
    expect(cycleFindings(sync(), failed).find((f) => f.rule === 'apply-failed')).toMatchObject({ severity: 'critical', message: 'apply failed: 0 of 10 change(s) delivered. stopped: 500' });
    expect(cycleFindings(sync(), report({ outcome: 'busy' }))).toEqual([]);
    expect(cycleFindings(sync(), report({ outcome: 'interrupted' }))).toEqual([]);
  });

  it('a run that stopped early after delivering some rows warns; rejected rows alone do not', () => {
    const stopped = report({ outcome: 'partial', attempted: 4, rejected: 0, apply: { ...report({}).apply!, status: 'partial', delivered: 4, failed: 6, message: 'stopped: quota' } });
    expect(cycleFindings(sync(), stopped).find((f) => f.rule === 'apply-failed')?.severity).toBe('warning');
    const rejected = report({ outcome: 'partial', attempted: 10, rejected: 6, apply: { ...report({}).apply!, status: 'partial', delivered: 4, failed: 6 } });
    expect(cycleFindings(sync(), rejected).find((f) => f.rule === 'apply-failed')?.severity).toBe('ok');
  });

  it('maxFailureRate compares rejected with attempted rows, and says nothing when no row was attempted', () => {
    const s = sync({ sla: { maxFailureRate: 0.1, backlogWarnRatio: 0.5 } });
    const rate = (attempted: number, rejected: number, changes = 10) => cycleFindings(s, report({ attempted, rejected, plan: { ...report({}).plan!, changes } })).find((f) => f.rule === 'failure-rate');
    expect(rate(10, 1)?.severity).toBe('ok');
    expect(rate(10, 2)).toMatchObject({ severity: 'critical', message: '2 of 10 row(s) rejected in the last run (20%; SLA 10%). See why with `ebb errors contacts`' });
    expect(rate(0, 0)).toBeUndefined();
    expect(rate(0, 0, 0)?.severity).toBe('ok');
  });

  it('failure-rate judges the rows of the window of runs it is given, not the current run alone', () => {
    const s = sync({ sla: { maxFailureRate: 0.05, backlogWarnRatio: 0.5 } });
    // The current run re-sent only the stuck row: 1 of 1 rejected, but 3 of 42 over the window.
    const stuckOnly = report({ outcome: 'failed', attempted: 1, rejected: 1, apply: { ...report({}).apply!, status: 'failed', planned: 1, delivered: 0, failed: 1 } });
    const rate = (current: CycleReport, window: RejectionWindow, extra: Partial<ResolvedSync> = s) => cycleFindings(sync(extra), current, window).find((f) => f.rule === 'failure-rate');
    expect(rate(stuckOnly, { runs: 5, attempted: 42, rejected: 3 })).toMatchObject({ severity: 'critical', message: '3 of 42 row(s) rejected over the last 5 runs (7.1%; SLA 5%). See why with `ebb errors contacts`' });
    expect(rate(stuckOnly, { runs: 4, attempted: 62, rejected: 3 })).toMatchObject({ severity: 'ok', message: '3 of 62 row(s) rejected over the last 4 runs (4.8%; SLA 5%)' });
    // A run of 20 with the same stuck row does not resolve it while the window stays above the SLA.
    const full = report({ outcome: 'partial', attempted: 20, rejected: 1, apply: { ...report({}).apply!, status: 'partial', planned: 20, delivered: 19, failed: 1 } });
    expect(rate(full, { runs: 3, attempted: 41, rejected: 3 })?.severity).toBe('critical');
    // Without an SLA, a rejection anywhere in the window warns, even if the current run had none.
    const stopped = report({ outcome: 'partial', attempted: 5, rejected: 0, apply: { ...report({}).apply!, status: 'partial', delivered: 5, failed: 5 } });
    expect(rate(stopped, { runs: 2, attempted: 25, rejected: 1 }, {})).toMatchObject({ severity: 'warning', message: '1 of 25 row(s) rejected over the last 2 runs (4%). See why with `ebb errors contacts` (set sla.maxFailureRate to make a rate above it critical)' });
    expect(rate(report({ attempted: 10 }), { runs: 1, attempted: 10, rejected: 0 }, {})).toMatchObject({ severity: 'ok', message: '0 of 10 row(s) rejected in the last run (0%)' });
    // Whatever the window holds, a run in which no row was answered judges nothing.
    expect(rate(report({ outcome: 'failed', attempted: 0, rejected: 0 }), { runs: 5, attempted: 42, rejected: 3 })).toBeUndefined();
  });

  it('a run that delivered nothing because only rows already failing were sent, and rejected again, leaves apply-failed as it was', () => {
    const allRejected = (rejected: number, alreadyFailing: number, failed = rejected) =>
      cycleFindings(sync(), report({ outcome: 'failed', attempted: rejected, rejected, alreadyFailing, apply: { ...report({}).apply!, status: 'failed', planned: failed, delivered: 0, failed } })).find((f) => f.rule === 'apply-failed');
    expect(allRejected(1, 1)).toBeUndefined();
    expect(allRejected(3, 5)).toBeUndefined();
    // More rows rejected than were failing: rows that went in before are refused now.
    expect(allRejected(4, 1)).toMatchObject({ severity: 'critical', message: 'apply failed: 0 of 4 change(s) delivered.' });
    // A run that stopped (rows not sent) failed whatever was failing before.
    expect(allRejected(1, 5, 3)?.severity).toBe('critical');
  });
});

describe('rules judged on stored state', () => {
  const at = (minutes: number) => ({ count: 3, oldestFirstSeenAt: iso(T0 + minutes * MINUTE) });

  it('freshness: the age of the oldest pending change against the SLA', () => {
    const s = sync({ sla: { freshnessMs: 30 * MINUTE, backlogWarnRatio: 0.5 } });
    const judge = (now: number) => stateFindings(s, { pending: at(0), health: health(), now, neverRunSince: null })[0];
    expect(judge(T0 + 30 * MINUTE)?.severity).toBe('ok');
    expect(judge(T0 + 30 * MINUTE + 1000)).toMatchObject({ severity: 'critical', message: `delivery lag 30m1s exceeds the 30m SLA: the oldest of 3 pending change(s) was first seen ${iso(T0)}` });
    expect(stateFindings(s, { pending: { count: 0, oldestFirstSeenAt: null }, health: health(), now: T0 + 99 * MINUTE, neverRunSince: null })[0]?.severity).toBe('ok');
  });

  it('backlog: warning from backlogWarnRatio of maxBacklog, critical past it', () => {
    const s = sync({ sla: { maxBacklog: 100, backlogWarnRatio: 0.5 } });
    const judge = (count: number) => stateFindings(s, { pending: { count, oldestFirstSeenAt: iso(T0) }, health: null, now: T0, neverRunSince: T0 })[0]?.severity;
    expect([judge(0), judge(49), judge(50), judge(100), judge(101)]).toEqual(['ok', 'ok', 'warning', 'warning', 'critical']);
    const early = sync({ sla: { maxBacklog: 100, backlogWarnRatio: 0.2 } });
    expect(stateFindings(early, { pending: { count: 20, oldestFirstSeenAt: iso(T0) }, health: null, now: T0, neverRunSince: T0 })[0]?.severity).toBe('warning');
  });

  it('not-running: two slots and a grace after the last success, for intervals and crons', () => {
    const every = sync({ schedule: { everyMs: 15 * MINUTE } });
    const judge = (s: ResolvedSync, now: number, h: SyncHealth | null = health()) => stateFindings(s, { pending: { count: 0, oldestFirstSeenAt: null }, health: h, now, neverRunSince: null })[0];
    // Every 15m: slots at 15m and 30m, grace 10% of the interval (1m30s).
    expect(judge(every, T0 + 31.5 * MINUTE)?.severity).toBe('ok');
    expect(judge(every, T0 + 31.5 * MINUTE + 1)?.severity).toBe('critical');
    // Daily at 09:00 Paris (08:00 UTC in March): last success the 1st at 09:00 UTC; slots the 2nd and 3rd at 08:00 UTC; 15 min grace.
    const daily = sync({ schedule: { cron: '0 9 * * *', timezone: 'Europe/Paris' } });
    expect(judge(daily, Date.parse('2031-03-03T08:15:00.000Z'))?.severity).toBe('ok');
    expect(judge(daily, Date.parse('2031-03-03T08:15:00.001Z'))?.message).toMatch(/no successful run since 2031-03-01T09:00:00.000Z \(scheduled cron '0 9 \* \* \*' \(Europe\/Paris\)\)/);
    // Never succeeded: measured from the first cycle; never run at all and nobody to run it: critical.
    expect(judge(every, T0 + 20 * MINUTE, health({ lastSuccessAt: null, lastOutcome: 'failed' }))?.severity).toBe('ok');
    expect(judge(every, T0, null)?.message).toBe('scheduled every 15m but has never run: is `ebb schedule` running?');
    // A run in progress changes nothing, until it has itself gone on past two slots.
    const running = (now: number) => stateFindings(every, { pending: { count: 0, oldestFirstSeenAt: null }, health: health({ lastSuccessAt: null }), now, runningSince: T0 + 60 * MINUTE, neverRunSince: null });
    expect(running(T0 + 91.5 * MINUTE)).toEqual([]);
    expect(running(T0 + 91.5 * MINUTE + 1)[0]).toMatchObject({ severity: 'critical', message: `a run has been going since ${iso(T0 + 60 * MINUTE)} without finishing (scheduled every 15m): is it stuck on the warehouse or the destination?` });
    expect(stateFindings(sync(), { pending: { count: 0, oldestFirstSeenAt: null }, health: null, now: T0, neverRunSince: null })).toEqual([]);
  });

  it('not-running: a last success later than now (the clock went back) counts from now, not from the future', () => {
    const every = sync({ schedule: { everyMs: 15 * MINUTE } });
    const ahead = health({ lastSuccessAt: iso(T0 + 6 * 60 * MINUTE) });
    const judge = (now: number) => stateFindings(every, { pending: { count: 0, oldestFirstSeenAt: null }, health: ahead, now, neverRunSince: null })[0];
    expect(judge(T0)?.severity).toBe('ok');
    expect(judge(T0 + 31.5 * MINUTE + 1)?.message).toMatch(/^no successful run seen: the last one is recorded at .*, later than now \(did the clock go back\?\)/);
  });
});
