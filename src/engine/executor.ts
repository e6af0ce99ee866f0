import { randomUUID } from 'node:crypto';
import { EbbError, LockHeldError, describeError } from '../core/errors.ts';
import { changesToSend, type Plan, type SyncPlan } from '../core/plan.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { ConnectorDefinition } from '../connectors/connector.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import { pushSyncPlan } from './apply-sync.ts';
import { systemClock, type Clock } from './clock.ts';
import { shielded, stoppedStatus, type EventSink, type SyncApplyResult } from './events.ts';
import { isHolderDead, lockHolderId } from './lock-holder.ts';
import { PacerRegistry } from './pacer.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
import { assertPlanFormat, assertSyncPlanFresh } from './staleness.ts';

export interface ResolvedConnection {
  definition: ConnectorDefinition;
  /** Options with secrets resolved. */
  options: Record<string, unknown>;
}

export interface ApplyDependencies {
  store: SnapshotStore;
  /** The syncs as currently defined, by name (a plan for a changed definition is refused). */
  syncs: ReadonlyMap<string, ResolvedSync>;
  connection(name: string): ResolvedConnection;
  rootDir: string;
  toolVersion: string;
  /** Shared across applies in one process so every sync writing to an account shares its pace. */
  pacers?: PacerRegistry;
  clock?: Clock;
  events?: EventSink;
  retry?: RetryPolicy;
  lockTtlMs?: number;
  /**
   * Cooperative stop (e.g. SIGTERM in the scheduler): once aborted, no further batch is sent; batches
   * already in flight finish and commit, and unsent changes stay pending (not recorded as failures).
   */
  signal?: AbortSignal;
  /**
   * Lock holder id the caller already holds the sync's lock under (the scheduler locks a sync around
   * plan + apply, so no other process slips in between); the executor re-acquires it as its own.
   */
  lockHolder?: string;
}

export interface ApplyOptions {
  /** Lets deletes through a plan that a delete guard blocked. */
  allowDeletes: boolean;
}

export interface ApplyResult {
  syncs: SyncApplyResult[];
}

export const DEFAULT_LOCK_TTL_MS = 120_000;

/** `result`, no longer a success, with `problem` added to its message. */
function withProblem(result: SyncApplyResult, problem: string): SyncApplyResult {
  const status = result.status === 'succeeded' || result.status === 'skipped' ? stoppedStatus(result.delivered) : result.status;
  return { ...result, status, message: result.message ? `${result.message} Also, ${problem}.` : `${problem[0]!.toUpperCase()}${problem.slice(1)}.` };
}

/** Applies exactly the plan, sync by sync, in the order the plan lists them (dependency order). */
export async function applyPlan(plan: Plan, deps: ApplyDependencies, options: ApplyOptions): Promise<ApplyResult> {
  assertPlanFormat(plan, deps.toolVersion);
  const clock = deps.clock ?? systemClock;
  const events = shielded(deps.events);
  const pacers = deps.pacers ?? new PacerRegistry(clock, events);
  const results: SyncApplyResult[] = [];
  for (const syncPlan of plan.syncs) {
    results.push(await applySyncPlan(syncPlan, { ...deps, clock, events, pacers }, options));
  }
  return { syncs: results };
}

async function applySyncPlan(
  syncPlan: SyncPlan,
  deps: ApplyDependencies & { clock: Clock; events: EventSink; pacers: PacerRegistry },
  options: ApplyOptions,
): Promise<SyncApplyResult> {
  const runId = randomUUID();
  const skipped = (reason: string, status: SyncApplyResult['status'] = 'skipped'): SyncApplyResult => {
    deps.events({ type: 'apply-skipped', sync: syncPlan.sync, reason });
    return { sync: syncPlan.sync, runId, status, planned: changesToSend(syncPlan), delivered: 0, failed: 0, apiCalls: 0, rateLimited: 0, message: reason };
  };
  if (syncPlan.errored) return skipped('the plan has errors for this sync; fix them and re-run `ebb plan`', 'failed');
  if (syncPlan.changes.count === 0) return skipped('no changes');
  if (syncPlan.blocked && !options.allowDeletes) return skipped(`blocked: ${syncPlan.blocked.message}`, 'failed');
  if (deps.signal?.aborted) return skipped('stopped before it started (shutdown requested); its changes stay pending');

  const sync = deps.syncs.get(syncPlan.sync);
  const holder = deps.lockHolder ?? lockHolderId(runId);
  const lockTtlMs = deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  try {
    const lock = await deps.store.acquireLock({ sync: syncPlan.sync, holder, ttlMs: lockTtlMs, holderIsDead: isHolderDead });
    if (!lock.acquired) {
      throw new LockHeldError(`another apply of "${syncPlan.sync}" is running (${lock.holder}, lock expires ${lock.expiresAt}). Wait for it to finish; if it crashed on another machine, the lock frees itself at that time`);
    }
  } catch (error) {
    return skipped(describeError(error), 'failed');
  }

  const startedAt = new Date(deps.clock.now()).toISOString();
  let result: SyncApplyResult;
  let lockProblem: string | null = null;
  try {
    assertSyncPlanFresh(syncPlan, sync, await deps.store.readState(syncPlan.sync));
    const current = sync!;
    const connection = deps.connection(current.destination.connection);
    const pacer = deps.pacers.forAccount(connection.definition.accountKey(connection.options), connection.definition.rateBudget(connection.options));
    await deps.store.startRun({ id: runId, sync: current.name, kind: 'apply', startedAt, planned: changesToSend(syncPlan) });
    deps.events({ type: 'apply-started', sync: current.name, runId, changes: changesToSend(syncPlan) });
    // The destination's rejections, kept apart from rows not sent (both are `failed`) for the failure-rate SLA.
    let rejected = 0;
    const events: EventSink = (event) => {
      if (event.type === 'batch-committed') rejected += event.failed;
      deps.events(event);
    };
    try {
      result = await pushSyncPlan(syncPlan, {
        sync: current,
        store: deps.store,
        definition: connection.definition,
        options: connection.options,
        rootDir: deps.rootDir,
        pacer,
        clock: deps.clock,
        events,
        retry: deps.retry ?? DEFAULT_RETRY_POLICY,
        runId,
        holder,
        lockTtlMs,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (error) {
      result = { sync: current.name, runId, status: 'failed', planned: changesToSend(syncPlan), delivered: 0, failed: 0, apiCalls: 0, rateLimited: 0, message: describeError(error) };
    }
    try {
      await deps.store.finishRun({ id: runId, finishedAt: new Date(deps.clock.now()).toISOString(), status: result.status === 'skipped' ? 'succeeded' : result.status, planned: result.planned, delivered: result.delivered, failed: result.failed, rejected, apiCalls: result.apiCalls, rateLimited: result.rateLimited, message: result.message });
    } catch (error) {
      // What was delivered stands (its commits went through); the history lacks this run, so say so.
      result = withProblem(result, `the run's result could not be recorded in the history (${describeError(error)})`);
    }
  } catch (error) {
    if (!(error instanceof EbbError)) throw error;
    result = { sync: syncPlan.sync, runId, status: 'failed', planned: changesToSend(syncPlan), delivered: 0, failed: 0, apiCalls: 0, rateLimited: 0, message: describeError(error) };
  } finally {
    await deps.store.releaseLock(syncPlan.sync, holder).catch((error: unknown) => {
      lockProblem = `the sync's lock could not be released (${describeError(error)}); it frees itself within ${Math.ceil(lockTtlMs / 1000)} s`;
    });
  }
  if (lockProblem !== null) result = withProblem(result, lockProblem);
  deps.events({ type: 'apply-finished', sync: syncPlan.sync, runId, result });
  return result;
}
