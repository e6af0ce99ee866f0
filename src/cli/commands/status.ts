import { checkStatus, CHECK_EXIT_CODES, type StatusCheck } from '../../alerts/status-check.ts';
import { deliveryLagMs } from '../../alerts/rules.ts';
import { describeError } from '../../core/errors.ts';
import { releasePlan } from '../../core/plan.ts';
import type { ResolvedSync } from '../../core/sync.ts';
import { formatDuration } from '../../scheduler/schedule.ts';
import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';
import { computePlan } from './plan.ts';

export interface SyncStatus {
  sync: string;
  lastRun: { at: string; status: string; delivered: number; failed: number } | null;
  /**
   * The last scheduled cycle (`ebb schedule`, `ebb run`) when it started after the last recorded run: a
   * cycle with nothing to send records no run, and the sync may have recovered since a failed one.
   */
  lastCycle: { at: string; outcome: string; message: string | null } | null;
  records: number;
  failedRows: number;
  /** Changes the next plan would make; null when not computed (--offline) or the model failed. */
  pending: number | null;
  /**
   * Delivery lag: age of the oldest change not yet delivered, as tracked by `ebb schedule` and
   * `ebb run`; null when neither has run the sync yet.
   */
  lagSeconds: number | null;
  /** The freshness SLA, when the sync has one; `slaMet` compares the lag with it. */
  freshnessSlaSeconds: number | null;
  slaMet: boolean | null;
}

export interface StatusFlags {
  syncs: string[];
  offline: boolean;
  json: boolean;
  /** For monitors: no plan, exit 0 ok / 1 warning / 2 critical / 3 unknown. */
  check?: boolean;
}

/** `ebb status`: per sync, the last run, what the snapshot holds, failed rows, pending changes and lag vs SLA. */
export async function statusCommand(io: CliIo, project: Project, flags: StatusFlags): Promise<number> {
  const syncs = project.select(flags.syncs);
  if (flags.check) return statusCheckCommand(io, project, syncs, flags.json);
  const pending = new Map<string, number | null>();
  if (!flags.offline) {
    const plan = await computePlan(project, syncs.map((s) => s.name));
    for (const s of plan.syncs) pending.set(s.sync, s.errored ? null : s.changes.count);
    releasePlan(plan);
  }
  const now = Date.now();
  const statuses: SyncStatus[] = [];
  for (const sync of syncs) {
    const [run] = await project.store.listRuns({ sync: sync.name, limit: 1 });
    const pendingSummary = await project.store.pendingSummary(sync.name);
    const health = await project.store.readHealth(sync.name);
    const tracked = pendingSummary.count > 0 || health !== null;
    const runAt = run ? (run.finishedAt ?? run.startedAt) : null;
    const cycleAt = health?.lastFinishedAt ?? null;
    const lagMs = tracked ? deliveryLagMs(pendingSummary, now) : null;
    const freshness = sync.sla?.freshnessMs ?? null;
    statuses.push({
      sync: sync.name,
      lastRun: run ? { at: runAt!, status: run.status, delivered: run.delivered, failed: run.failed } : null,
      // A later cycle: one that started after the last run ended (a cycle's own run ends inside it).
      lastCycle: cycleAt !== null && health?.lastOutcome && (runAt === null || (health.lastStartedAt ?? '') > runAt) ? { at: cycleAt, outcome: health.lastOutcome, message: health.lastMessage } : null,
      records: await project.store.countRows(sync.name),
      failedRows: await project.store.countRowErrors(sync.name),
      pending: pending.get(sync.name) ?? null,
      lagSeconds: lagMs === null ? null : Math.round(lagMs / 1000),
      freshnessSlaSeconds: freshness === null ? null : freshness / 1000,
      slaMet: freshness === null || lagMs === null ? null : lagMs <= freshness,
    });
  }
  if (flags.json) {
    io.out(JSON.stringify(statuses, null, 2));
    return 0;
  }
  for (const s of statuses) {
    const run = s.lastRun ? `last run ${s.lastRun.at} ${s.lastRun.status} (${s.lastRun.delivered} delivered, ${s.lastRun.failed} failed)` : 'never applied';
    const last = s.lastCycle ? `last cycle ${s.lastCycle.at} ${s.lastCycle.outcome}${s.lastCycle.message ? ` (${s.lastCycle.message})` : ''}; ${run}` : run;
    const pendingText = flags.offline ? 'pending not computed (--offline)' : s.pending === null ? 'pending unknown (plan failed: run `ebb plan`)' : `${s.pending} pending change(s)`;
    io.out(`${s.sync.padEnd(24)} ${last}; ${s.records} record(s) in snapshot; ${s.failedRows} failed row(s); ${pendingText}; ${lagText(s)}`);
  }
  return 0;
}

function lagText(s: SyncStatus): string {
  if (s.lagSeconds === null) return 'lag not tracked yet (tracked by `ebb schedule` and `ebb run`)';
  const lag = `lag ${formatDuration(s.lagSeconds * 1000)}`;
  if (s.freshnessSlaSeconds === null) return `${lag} (no freshness SLA)`;
  return `${lag} of ${formatDuration(s.freshnessSlaSeconds * 1000)} SLA: ${s.slaMet ? 'ok' : 'BREACHED'}`;
}

/**
 * `ebb status --check`: reads only the snapshot file (fast, no warehouse or destination calls), so a
 * monitor can run it every minute. Exit codes: 0 ok, 1 warning, 2 critical, 3 the check itself failed.
 */
async function statusCheckCommand(io: CliIo, project: Project, syncs: ResolvedSync[], json: boolean): Promise<number> {
  let check: StatusCheck;
  try {
    check = await checkStatus(project.store, syncs, Date.now());
  } catch (error) {
    io.err(`UNKNOWN: could not check the status: ${describeError(error)}`);
    return CHECK_EXIT_CODES.unknown;
  }
  if (json) {
    io.out(JSON.stringify(check, null, 2));
  } else {
    const label = (severity: string) => severity.toUpperCase().padEnd(9);
    io.out(`${label(check.scheduler.severity)}scheduler: ${check.scheduler.message}`);
    for (const sync of check.syncs) {
      if (sync.problems.length === 0) io.out(`${label('ok')}${sync.sync}: lag ${formatDuration(sync.lagMs)}, ${sync.pending.count} pending`);
      for (const problem of sync.problems) io.out(`${label(problem.severity)}${sync.sync}: ${problem.rule}: ${problem.message}`);
    }
  }
  return CHECK_EXIT_CODES[check.severity];
}
