import type { ResolvedSync } from '../core/sync.ts';
import { formatDuration, SyncSchedule } from '../scheduler/schedule.ts';
import { onlyFailingRowsRejectedAgain, type CycleReport } from '../scheduler/cycle-report.ts';
import type { AlertSeverity, PendingSummary, SyncHealth } from '../snapshot/store.ts';
import { currentRunOnly, type RejectionWindow } from './rejection-window.ts';

/**
 * Alert rules. Each returns a finding (ok / warning / critical) when it can judge, and nothing when it
 * cannot (e.g. failure rate of a run that attempted no rows), which leaves the rule's state as it was.
 */
export const ALERT_RULES = ['plan-failed', 'guard-blocked', 'apply-failed', 'failure-rate', 'freshness', 'backlog', 'not-running'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface Finding {
  sync: string;
  rule: AlertRule;
  severity: AlertSeverity;
  message: string;
}

const ok = (sync: string, rule: AlertRule, message: string): Finding => ({ sync, rule, severity: 'ok', message });

/**
 * Rules judged from what a cycle just did. `rejections` is what the failure-rate rule judges: the current
 * run and the runs before it (rejectionWindow, gathered by the caller from the run history).
 */
export function cycleFindings(sync: ResolvedSync, report: CycleReport, rejections: RejectionWindow = currentRunOnly(report)): Finding[] {
  const name = sync.name;
  if (report.outcome === 'busy' || report.outcome === 'interrupted') return [];
  if (report.outcome === 'plan-failed') {
    return [{ sync: name, rule: 'plan-failed', severity: 'critical', message: `could not plan: ${report.message ?? 'unknown error'}. Nothing was sent; see \`ebb plan ${name}\`` }];
  }
  const findings: Finding[] = [ok(name, 'plan-failed', 'the model was read and diffed')];
  if (report.outcome === 'blocked') {
    findings.push({ sync: name, rule: 'guard-blocked', severity: 'critical', message: `not applied: ${report.plan?.blocked?.message ?? report.message ?? 'a guard blocked the plan'}. Review with \`ebb plan ${name}\`; if intended, run \`ebb run ${name} --allow-deletes\`` });
    return findings;
  }
  findings.push(ok(name, 'guard-blocked', 'no guard blocks the plan'));
  const applied = applyFinding(name, report);
  if (applied) findings.push(applied);
  const rate = failureRateFinding(sync, report, rejections);
  if (rate) findings.push(rate);
  return findings;
}

function applyFinding(sync: string, report: CycleReport): Finding | null {
  const apply = report.apply;
  // Rows already failing, rejected again: the failure-rate rule's. Judged here, the alert would flip
  // with the size of each run; its state is left as it was.
  if (onlyFailingRowsRejectedAgain(report)) return null;
  if (report.outcome === 'failed') {
    const what = apply ? `apply failed: ${apply.delivered} of ${apply.planned} change(s) delivered.` : 'the run failed.';
    return { sync, rule: 'apply-failed', severity: 'critical', message: `${what} ${apply?.message ?? report.message ?? ''}`.trim() };
  }
  if (!apply) return ok(sync, 'apply-failed', 'nothing to apply');
  // Rows lost to whole-call failures (not row rejections) mean the run stopped early.
  const stoppedEarly = apply.failed - report.rejected;
  if (stoppedEarly > 0) {
    return { sync, rule: 'apply-failed', severity: 'warning', message: `apply stopped early: ${stoppedEarly} change(s) not delivered (they stay pending). ${apply.message ?? ''}`.trim() };
  }
  return ok(sync, 'apply-failed', `${apply.delivered} of ${apply.planned} change(s) delivered`);
}

/**
 * Rows the destination rejects, over the window of recent runs (see rejectionWindow), so that the rate of
 * a stuck row does not swing with the size of each run. With `sla.maxFailureRate`, a rate above it is
 * critical; without one, any rejected row in the window is still a warning: rows that start failing must
 * reach someone either way. No judgement unless the current run had rows answered (or none to send).
 */
function failureRateFinding(sync: ResolvedSync, report: CycleReport, window: RejectionWindow): Finding | null {
  const max = sync.sla?.maxFailureRate;
  if (report.attempted === 0) return report.plan?.changes === 0 ? ok(sync.name, 'failure-rate', 'no rows to send') : null;
  const rate = window.rejected / window.attempted;
  const over = `${window.rejected} of ${window.attempted} row(s) rejected ${window.runs === 1 ? 'in the last run' : `over the last ${window.runs} runs`}`;
  if (max === undefined) {
    const text = `${over} (${percent(rate)})`;
    if (window.rejected === 0) return ok(sync.name, 'failure-rate', text);
    return { sync: sync.name, rule: 'failure-rate', severity: 'warning', message: `${text}. See why with \`ebb errors ${sync.name}\` (set sla.maxFailureRate to make a rate above it critical)` };
  }
  const text = `${over} (${percent(rate)}; SLA ${percent(max)})`;
  if (rate > max) return { sync: sync.name, rule: 'failure-rate', severity: 'critical', message: `${text}. See why with \`ebb errors ${sync.name}\`` };
  return ok(sync.name, 'failure-rate', text);
}

export interface StateInput {
  pending: PendingSummary;
  health: SyncHealth | null;
  now: number;
  /**
   * When the cycle this process is running for the sync started. While it runs the rule changes
   * nothing, unless the run itself has gone on past two slots (a hung run has stopped the sync too).
   */
  runningSince?: number;
  /**
   * Reference time for a scheduled sync with no cycle on record (the scheduler's start); null makes
   * such a sync critical at once (an external check, where no scheduler has ever run it).
   */
  neverRunSince: number | null;
}

/** Rules judged from stored state, after runs and on a timer, so a sync that stopped running alerts. */
export function stateFindings(sync: ResolvedSync, input: StateInput): Finding[] {
  const findings: Finding[] = [];
  const lag = deliveryLagMs(input.pending, input.now);
  const freshness = sync.sla?.freshnessMs;
  if (freshness !== undefined) {
    findings.push(
      lag > freshness
        ? { sync: sync.name, rule: 'freshness', severity: 'critical', message: `delivery lag ${formatDuration(lag)} exceeds the ${formatDuration(freshness)} SLA: the oldest of ${input.pending.count} pending change(s) was first seen ${input.pending.oldestFirstSeenAt}` }
        : ok(sync.name, 'freshness', `delivery lag ${formatDuration(lag)} within the ${formatDuration(freshness)} SLA`),
    );
  }
  const backlog = backlogFinding(sync, input.pending.count);
  if (backlog) findings.push(backlog);
  const notRunning = notRunningFinding(sync, input);
  if (notRunning) findings.push(notRunning);
  return findings;
}

/** Age of the oldest change not yet in the destination; 0 when nothing is pending. */
export function deliveryLagMs(pending: PendingSummary, now: number): number {
  return pending.oldestFirstSeenAt ? Math.max(0, now - Date.parse(pending.oldestFirstSeenAt)) : 0;
}

function backlogFinding(sync: ResolvedSync, count: number): Finding | null {
  const max = sync.sla?.maxBacklog;
  if (max === undefined) return null;
  const ratio = sync.sla?.backlogWarnRatio ?? 0.5;
  const text = `${count} pending change(s) of a ${max} backlog limit`;
  if (count > max) return { sync: sync.name, rule: 'backlog', severity: 'critical', message: `${text}: over the limit` };
  if (count > 0 && count >= ratio * max) return { sync: sync.name, rule: 'backlog', severity: 'warning', message: `${text}: at ${percent(count / max)}, past the ${percent(ratio)} warning level` };
  return ok(sync.name, 'backlog', text);
}

function notRunningFinding(sync: ResolvedSync, input: StateInput): Finding | null {
  if (!sync.schedule) return null;
  const schedule = new SyncSchedule(sync.schedule);
  if (input.runningSince !== undefined) {
    if (input.now <= schedule.overdueAt(input.runningSince)) return null;
    const since = new Date(input.runningSince).toISOString();
    return { sync: sync.name, rule: 'not-running', severity: 'critical', message: `a run has been going since ${since} without finishing (scheduled ${schedule.describe()}): is it stuck on the warehouse or the destination?` };
  }
  const { health } = input;
  // A recorded time later than now means the clock went back: measured from it, the sync would look on
  // schedule until the clock caught up, however long nothing ran. Such a time is no evidence of a run.
  const past = (at: string | null | undefined): number | null => (at && Date.parse(at) <= input.now ? Date.parse(at) : null);
  const lastSuccess = past(health?.lastSuccessAt);
  const reference = lastSuccess ?? (health ? (past(health.trackedSince) ?? input.neverRunSince ?? input.now) : input.neverRunSince);
  const last = health?.lastOutcome ? ` Last cycle: ${health.lastOutcome}${health.lastMessage ? ` (${health.lastMessage})` : ''}.` : '';
  if (reference === null) {
    return { sync: sync.name, rule: 'not-running', severity: 'critical', message: `scheduled ${schedule.describe()} but has never run: is \`ebb schedule\` running?` };
  }
  if (input.now > schedule.overdueAt(reference)) {
    const since =
      lastSuccess !== null
        ? `no successful run since ${new Date(lastSuccess).toISOString()}`
        : health?.lastSuccessAt
          ? `no successful run seen: the last one is recorded at ${health.lastSuccessAt}, later than now (did the clock go back?)`
          : 'no successful run yet';
    return { sync: sync.name, rule: 'not-running', severity: 'critical', message: `${since} (scheduled ${schedule.describe()}).${last}` };
  }
  return ok(sync.name, 'not-running', `running on schedule (${schedule.describe()})`);
}

/** One decimal below 10% (9.5%), none above or when it is 0 (5%, not 5.0%). */
function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 1 : 0))}%`;
}

/**
 * Resolutions for recorded alerts the configuration can no longer raise: the sync was renamed or removed,
 * or the setting its rule judged was. No run or evaluation judges those again, so without this they would
 * stay firing for good (in `ebb status --check` and for whoever waits for the RESOLVED).
 */
export function unconfiguredFindings(syncs: readonly ResolvedSync[], states: readonly { sync: string; rule: string; severity: AlertSeverity }[]): Finding[] {
  const byName = new Map(syncs.map((s) => [s.name, s]));
  const findings: Finding[] = [];
  for (const state of states) {
    if (state.severity === 'ok') continue;
    const sync = byName.get(state.sync);
    const reason = sync ? unconfiguredReason(sync, state.rule, state.severity) : 'the sync was renamed or removed from syncs/';
    // The rule may be one an older Ebb had; the state is resolved all the same.
    if (reason) findings.push({ sync: state.sync, rule: state.rule as AlertRule, severity: 'ok', message: `no longer configured: ${reason}` });
  }
  return findings;
}

/** Why the sync's configuration can no longer raise `severity` on `rule` (null when it can); keep in step with the rules above. */
export function unconfiguredReason(sync: ResolvedSync, rule: string, severity: AlertSeverity): string | null {
  switch (rule as AlertRule) {
    case 'plan-failed':
    case 'guard-blocked':
    case 'apply-failed':
      return null;
    case 'failure-rate':
      // Critical means "above sla.maxFailureRate": without one the rule can at most warn.
      return severity === 'critical' && sync.sla?.maxFailureRate === undefined ? "the sync's sla.maxFailureRate was removed" : null;
    case 'freshness':
      return sync.sla?.freshnessMs === undefined ? "the sync's sla.freshness was removed" : null;
    case 'backlog':
      return sync.sla?.maxBacklog === undefined ? "the sync's sla.maxBacklog was removed" : null;
    case 'not-running':
      return sync.schedule ? null : "the sync's schedule was removed";
    default:
      return `Ebb no longer has a "${rule}" rule`;
  }
}
