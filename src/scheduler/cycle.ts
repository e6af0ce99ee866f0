import { randomUUID } from 'node:crypto';
import { describeError } from '../core/errors.ts';
import type { ChangeSet } from '../core/change-set.ts';
import { releasePlan, type Plan, type SyncPlan } from '../core/plan.ts';
import type { ResolvedSync } from '../core/sync.ts';
import { systemClock, type Clock } from '../engine/clock.ts';
import { shielded, type EngineEvent, type EventSink, type SyncApplyResult } from '../engine/events.ts';
import { applyPlan, DEFAULT_LOCK_TTL_MS, type ResolvedConnection } from '../engine/executor.ts';
import { isHolderDead, lockHolderId } from '../engine/lock-holder.ts';
import { LockLease } from '../engine/lock-lease.ts';
import type { PacerRegistry } from '../engine/pacer.ts';
import { planSyncs } from '../engine/planner.ts';
import type { RetryPolicy } from '../engine/retry.ts';
import type { SourceSession } from '../sources/source.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import { cycleSucceeded, onlyFailingRowsRejectedAgain, warningText, type CycleReport, type PlanWarning } from './cycle-report.ts';

export interface CycleDependencies {
  store: SnapshotStore;
  /** Every sync as currently defined, by name (the executor refuses plans of changed definitions). */
  syncs: ReadonlyMap<string, ResolvedSync>;
  openSource(connection: string): Promise<SourceSession>;
  connection(name: string): ResolvedConnection;
  rootDir: string;
  toolVersion: string;
  /** Scheduler time: stamps cycle health and first sightings of pending changes. */
  clock: Clock;
  /** Engine time (retries, pacing): real time even when the scheduler's clock is a test's. */
  engineClock?: Clock;
  pacers?: PacerRegistry;
  retry?: RetryPolicy;
  events?: EventSink;
  lockTtlMs?: number;
}

export interface CycleOptions {
  allowDeletes: boolean;
  signal?: AbortSignal;
}

/**
 * One run of one sync: take its lock, plan, record what is pending, and apply only what the guards
 * allow. The lock is held from before the plan to after the apply, so no other process can commit in
 * between and make the plan stale. Never throws: every way it can end is a CycleReport.
 */
export async function runSyncCycle(sync: ResolvedSync, deps: CycleDependencies, options: CycleOptions): Promise<CycleReport> {
  const { store, clock } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedAt = clock.now();
  const report: CycleReport = { sync: sync.name, outcome: 'failed', message: null, startedAt, finishedAt: startedAt, plan: null, warnings: [], apply: null, attempted: 0, rejected: 0, alreadyFailing: 0, pending: { count: 0, oldestFirstSeenAt: null }, account: null };
  const holder = lockHolderId(`cycle-${randomUUID()}`);
  const ttlMs = deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;

  const lock = await store.acquireLock({ sync: sync.name, holder, ttlMs, holderIsDead: isHolderDead }).catch((error: unknown) => ({ acquired: false as const, holder: describeError(error), expiresAt: '' }));
  if (!lock.acquired) {
    report.outcome = 'busy';
    report.message = `another run holds the lock of "${sync.name}" (${lock.holder}); skipped this time`;
    report.pending = await store.pendingSummary(sync.name);
    report.finishedAt = clock.now();
    return report;
  }
  // A long plan commits nothing, so nothing else would extend the lock meanwhile (the apply keeps its own lease too).
  const lease = new LockLease(store, sync.name, holder, ttlMs);
  try {
    await store.recordCycleStarted(sync.name, iso(startedAt));
    await planAndApply(sync, deps, options, report, holder);
  } catch (error) {
    report.outcome = 'failed';
    report.message = describeError(error);
  } finally {
    lease.stop();
    await store.releaseLock(sync.name, holder).catch(() => {});
  }
  report.pending = await store.pendingSummary(sync.name);
  report.finishedAt = clock.now();
  if (report.outcome !== 'interrupted') {
    await store.recordCycleFinished({ sync: sync.name, at: iso(report.finishedAt), outcome: report.outcome as Exclude<CycleReport['outcome'], 'busy' | 'interrupted'>, message: report.message, succeeded: cycleSucceeded(report.outcome) });
  }
  return report;
}

async function planAndApply(sync: ResolvedSync, deps: CycleDependencies, options: CycleOptions, report: CycleReport, holder: string): Promise<void> {
  const events = shielded(deps.events);
  const engineClock = deps.engineClock ?? systemClock;
  const plan = await planSyncs([sync], { store: deps.store, openSource: deps.openSource, toolVersion: deps.toolVersion, clock: engineClock, events, lockHolder: holder });
  try {
    await actOnPlan(plan, sync, deps, options, report, holder, events);
  } finally {
    releasePlan(plan);
  }
}

/** Reports the plan, tracks its pending keys, then applies it unless it failed, is blocked or a stop was asked. */
async function actOnPlan(plan: Plan, sync: ResolvedSync, deps: CycleDependencies, options: CycleOptions, report: CycleReport, holder: string, events: EventSink): Promise<void> {
  const syncPlan = plan.syncs[0]!;
  report.plan = { changes: syncPlan.changes.count, totals: syncPlan.totals, modelRows: syncPlan.modelRows, errored: syncPlan.errored, blocked: syncPlan.blocked };
  const stoppedByGuard = !syncPlan.errored && syncPlan.blocked !== null && !options.allowDeletes;
  report.warnings = warningsOf(syncPlan, stoppedByGuard);
  if (syncPlan.errored) {
    report.outcome = 'plan-failed';
    report.message = syncPlan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ') || 'the plan failed';
    await recordPlanRun(deps, sync.name, report, 'failed');
    return;
  }
  await deps.store.trackPending(sync.name, keysOf(syncPlan.changes), new Date(deps.clock.now()).toISOString());
  if (stoppedByGuard && syncPlan.blocked) {
    report.outcome = 'blocked';
    report.message = `blocked: ${syncPlan.blocked.message}`;
    await recordPlanRun(deps, sync.name, report, 'failed');
    return;
  }
  // Recorded now, before the apply: a stop or a crash later must not lose them.
  if (report.warnings.length > 0) await recordPlanRun(deps, sync.name, report, 'succeeded');
  if (options.signal?.aborted) {
    report.outcome = 'interrupted';
    report.message = 'stopped before applying (shutdown requested); the changes stay pending';
    return;
  }
  if (syncPlan.changes.count === 0) {
    report.outcome = 'succeeded';
    report.message = 'no changes';
    return;
  }
  const connection = deps.connection(sync.destination.connection);
  report.account = connection.definition.accountKey(connection.options);
  report.alreadyFailing = await deps.store.countRowErrors(sync.name);
  const result = await applyCounting(plan, sync, deps, options, report, holder, events);
  report.apply = result;
  report.message = result.message;
  if (result.unsent && result.unsent > 0) report.outcome = 'interrupted';
  else if (result.status === 'succeeded' || result.status === 'skipped') report.outcome = 'succeeded';
  // Only rows that were already failing, rejected again (a stuck row re-sent alone): the sync runs, and
  // those rows are the failure-rate rule's; counted as a failed cycle, a quiet sync with one stuck row
  // would page as not running.
  else if (onlyFailingRowsRejectedAgain(report)) report.outcome = 'partial';
  else report.outcome = result.status;
}

/**
 * Every warning of the plan, except the guard's own when it stops the cycle: the outcome (`blocked: …`)
 * already says it. Let through by --allow-deletes, the guard's warning is the only trace of it.
 */
function warningsOf(syncPlan: SyncPlan, stoppedByGuard: boolean): PlanWarning[] {
  return syncPlan.diagnostics
    .filter((d) => d.severity === 'warning' && !(stoppedByGuard && d.code === syncPlan.blocked?.code))
    .map(({ code, message }) => ({ code, message }));
}

async function* keysOf(changes: ChangeSet): AsyncGenerator<string> {
  for await (const change of changes) yield change.key;
}

/** Applies, counting the rows the destination answered about and rejected (the failure-rate SLA). */
async function applyCounting(plan: Plan, sync: ResolvedSync, deps: CycleDependencies, options: CycleOptions, report: CycleReport, holder: string, events: EventSink): Promise<SyncApplyResult> {
  const counting = (event: EngineEvent) => {
    if (event.type === 'batch-committed') {
      report.attempted += event.delivered + event.failed;
      report.rejected += event.failed;
    }
    events(event);
  };
  const applied = await applyPlan(
    plan,
    {
      store: deps.store,
      syncs: deps.syncs,
      connection: deps.connection,
      rootDir: deps.rootDir,
      toolVersion: deps.toolVersion,
      events: counting,
      lockHolder: holder,
      ...(deps.engineClock ? { clock: deps.engineClock } : {}),
      ...(deps.pacers ? { pacers: deps.pacers } : {}),
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.lockTtlMs ? { lockTtlMs: deps.lockTtlMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    { allowDeletes: options.allowDeletes },
  );
  return applied.syncs[0]!;
}

/**
 * A plan that stopped the cycle (errors, a guard) leaves a trace in `ebb runs`, like an apply does; so
 * does a plan with warnings, as `succeeded`: an apply's run says only what the apply did, and a warning
 * such as KEYS_MERGED is raised by one plan only.
 */
async function recordPlanRun(deps: CycleDependencies, sync: string, report: CycleReport, status: 'failed' | 'succeeded'): Promise<void> {
  const id = randomUUID();
  const changes = report.plan?.changes ?? 0;
  const message = [report.message, ...report.warnings.map(warningText)].filter((part) => part !== null).join('; ') || null;
  await deps.store.startRun({ id, sync, kind: 'plan', startedAt: new Date(report.startedAt).toISOString(), planned: changes });
  await deps.store.finishRun({ id, finishedAt: new Date(deps.clock.now()).toISOString(), status, planned: changes, delivered: 0, failed: 0, rejected: 0, apiCalls: 0, rateLimited: 0, message });
}
