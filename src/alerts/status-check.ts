import type { ResolvedSync } from '../core/sync.ts';
import { formatDuration } from '../scheduler/schedule.ts';
import type { AlertSeverity, OperationsStore, PendingSummary, SchedulerHeartbeat, SyncHealth } from '../snapshot/store.ts';
import { deliveryLagMs, stateFindings, unconfiguredReason, type Finding } from './rules.ts';

/** Exit codes of `ebb status --check`, Nagios-style so any monitor understands them. */
export const CHECK_EXIT_CODES = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

const RANK: Record<AlertSeverity, number> = { ok: 0, warning: 1, critical: 2 };

/** Rules judged per run by the scheduler; their recorded state is what a checker reports. */
const RECORDED_RULES = new Set(['plan-failed', 'guard-blocked', 'apply-failed', 'failure-rate']);

export interface SyncCheck {
  sync: string;
  severity: AlertSeverity;
  /** Problems only (warning or critical). */
  problems: Finding[];
  pending: PendingSummary;
  lagMs: number;
  freshnessMs: number | null;
  health: SyncHealth | null;
}

export interface StatusCheck {
  severity: AlertSeverity;
  scheduler: { severity: AlertSeverity; message: string };
  syncs: SyncCheck[];
}

export function worst(severities: Iterable<AlertSeverity>): AlertSeverity {
  let result: AlertSeverity = 'ok';
  for (const s of severities) if (RANK[s] > RANK[result]) result = s;
  return result;
}

/**
 * Everything an external monitor needs, from the store alone (no warehouse, no destination): is a
 * scheduler ticking, has every scheduled sync succeeded recently enough for its schedule, are lag and
 * backlog within their SLAs, and which run-judged alerts (failures, blocked plans) are firing.
 */
export async function checkStatus(store: OperationsStore, syncs: readonly ResolvedSync[], now: number): Promise<StatusCheck> {
  const heartbeats = await store.listHeartbeats();
  const scheduled = syncs.some((s) => s.schedule);
  const scheduler = schedulerCheck(heartbeats, scheduled, now);
  const latest = heartbeats[0];
  const recorded = (await store.listAlertStates()).filter((s) => RECORDED_RULES.has(s.rule) && s.severity !== 'ok');
  const checks: SyncCheck[] = [];
  for (const sync of syncs) {
    const pending = await store.pendingSummary(sync.name);
    const health = await store.readHealth(sync.name);
    const live = stateFindings(sync, { pending, health, now, neverRunSince: latest ? Date.parse(latest.startedAt) : null });
    // A state the configuration can no longer raise (its SLA was removed) is stale, not a problem.
    const fromRuns: Finding[] = recorded.filter((s) => s.sync === sync.name && unconfiguredReason(sync, s.rule, s.severity) === null).map((s) => ({ sync: s.sync, rule: s.rule as Finding['rule'], severity: s.severity, message: s.message }));
    const problems = [...live.filter((f) => f.severity !== 'ok'), ...fromRuns];
    checks.push({ sync: sync.name, severity: worst(problems.map((p) => p.severity)), problems, pending, lagMs: deliveryLagMs(pending, now), freshnessMs: sync.sla?.freshnessMs ?? null, health });
  }
  return { severity: worst([scheduler.severity, ...checks.map((c) => c.severity)]), scheduler, syncs: checks };
}

/** A scheduler is late after 10 of its ticks, and at least 2 minutes, without a heartbeat. */
function schedulerCheck(heartbeats: SchedulerHeartbeat[], scheduled: boolean, now: number): StatusCheck['scheduler'] {
  const latest = heartbeats[0];
  if (!latest) {
    return scheduled
      ? { severity: 'critical', message: 'no `ebb schedule` has ever run for this project, but syncs have schedules: start it' }
      : { severity: 'ok', message: 'no sync has a schedule' };
  }
  const age = now - Date.parse(latest.lastTickAt);
  const limit = Math.max(10 * latest.tickMs, 120_000);
  if (scheduled && age > limit) {
    return { severity: 'critical', message: `the scheduler last ticked ${formatDuration(age)} ago (${latest.lastTickAt}, ${latest.holder}): is \`ebb schedule\` still running?` };
  }
  return { severity: 'ok', message: `the scheduler ticked ${formatDuration(age)} ago (${latest.holder})` };
}
