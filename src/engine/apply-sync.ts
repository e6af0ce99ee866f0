import { isSnapshotOnly, totalsOf, type Change } from '../core/change.ts';
import { AuthError, LockLostError, OUTCOME_UNKNOWN, QuotaExhaustedError, StalePlanError, callsMadeBy, describeError, type RowError } from '../core/errors.ts';
import { changesToSend, type SyncPlan } from '../core/plan.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { ConnectorDefinition, ConnectorSession } from '../connectors/connector.ts';
import type { CommitBatch, FailedRow, SnapshotStore } from '../snapshot/store.ts';
import type { Clock } from './clock.ts';
import { stoppedStatus, type EventSink, type SyncApplyResult } from './events.ts';
import { batchChanges, type PlannedBatch } from './operations.ts';
import { LockLease } from './lock-lease.ts';
import type { AccountPacer } from './pacer.ts';
import { sentValueMasker } from './sent-value-masker.ts';
import { backoffDelay, CreateOutcomeUnknownError, sendWithRetry, type RetryPolicy } from './retry.ts';

export interface SyncApplyContext {
  sync: ResolvedSync;
  store: SnapshotStore;
  definition: ConnectorDefinition;
  options: Record<string, unknown>;
  rootDir: string;
  pacer: AccountPacer;
  clock: Clock;
  events: EventSink;
  retry: RetryPolicy;
  runId: string;
  holder: string;
  lockTtlMs: number;
  /** Once aborted, no further batch is sent; unsent changes stay pending, not failed. */
  signal?: AbortSignal;
}

/**
 * Pushes one sync's planned changes. After every batch, the rows the destination acknowledged are
 * committed to the snapshot and the rejected ones recorded, in one transaction that re-checks the
 * plan's base. A crash therefore loses at most the acknowledgement of in-flight batches.
 */
export async function pushSyncPlan(plan: SyncPlan, ctx: SyncApplyContext): Promise<SyncApplyResult> {
  const { sync, store, events } = ctx;
  const caps = ctx.definition.capabilities(sync.destination.object, ctx.options);
  const batching = { mode: plan.mode, object: sync.destination.object, matchOn: sync.destination.matchOn, caps };
  // What a destination says back about a batch can quote sensitive values: masked as it comes in.
  const masker = sentValueMasker(sync.mapping);
  const result: SyncApplyResult = { sync: sync.name, runId: ctx.runId, status: 'succeeded', planned: changesToSend(plan), delivered: 0, failed: 0, apiCalls: 0, rateLimited: 0, message: null };
  let serial = plan.base.serial;
  let commits: Promise<void> = Promise.resolve();
  let stopReason: Error | null = null;
  let unsent = 0;
  const stopRequested = () => ctx.signal?.aborted === true;
  // Rows the destination rejected as retryable, held to be re-sent once the current pass is over.
  const resends: FailedResend[] = [];
  let resendRounds = 0;
  const holdForResend = (change: Change, error: RowError): boolean => {
    if (error.retryable !== true || resendRounds >= ctx.retry.maxTransientRetries) return false;
    resends.push({ change, error });
    return true;
  };

  // Set once the snapshot fails to record a commit (a full disk, say): from then on nothing is sent,
  // since nothing more could be recorded, and what was delivered but not recorded is counted.
  let recordingFailure: Error | null = null;
  let unrecorded = 0;
  const commit = (batch: Omit<CommitBatch, 'expectedSerial' | 'sync' | 'runId' | 'lineage' | 'definitionHash'>): Promise<void> => {
    // Commits are chained so each one expects exactly the serial the previous one produced.
    const attempt = commits.then(async () => {
      let committed = false;
      try {
        if (recordingFailure) throw recordingFailure;
        serial = await store.commitBatch({ ...batch, sync: sync.name, runId: ctx.runId, lineage: plan.base.lineage, expectedSerial: serial, definitionHash: sync.definitionHash });
        committed = true;
        await store.refreshLock(sync.name, ctx.holder, ctx.lockTtlMs);
      } catch (error) {
        if (error instanceof StalePlanError) throw error;
        recordingFailure ??= error instanceof Error ? error : new Error(String(error));
        stopReason ??= recordingFailure;
        if (!committed) unrecorded += batch.delivered.length + batch.deleted.length;
        throw recordingFailure;
      }
    });
    commits = attempt.catch(() => undefined); // the next commit waits for this one, whatever came of it
    return attempt;
  };

  const session = await ctx.definition.open(ctx.options, { rootDir: ctx.rootDir, sleep: ctx.clock.sleep });
  const lease = new LockLease(store, sync.name, ctx.holder, ctx.lockTtlMs);
  try {
    const run = async (batches: AsyncGenerator<PlannedBatch>) => {
      // Workers pull from one stream of batches; only the batches in flight are held in memory.
      const worker = async () => {
        for (let pulled = await batches.next(); !pulled.done; pulled = await batches.next()) {
          const next = pulled.value;
          if (stopReason instanceof StalePlanError) return; // nothing more may be committed under this plan
          if (stopRequested()) {
            // A requested stop is not a failure: these rows stay pending and the next run sends them.
            unsent += next.changes.length;
            continue;
          }
          if (stopReason) {
            await recordUnsent(next, stopReason);
            continue;
          }
          await sendOne(next);
        }
      };
      const concurrency = Math.max(1, ctx.definition.rateBudget(ctx.options).maxConcurrent);
      try {
        await Promise.all(Array.from({ length: concurrency }, worker));
      } finally {
        await batches.return(undefined); // a stale plan stops the workers early: close the stream
      }
    };

    /** Rows the run will not deliver (not sent, or in doubt): recorded as failed with the reason, unless nothing can be recorded. */
    const recordFailedRows = async (changes: readonly Change[], failed: FailedRow[]) => {
      // The lock is another process's now: write nothing more, the rows simply stay pending.
      if (!recordingFailure && !(stopReason instanceof LockLostError)) {
        try {
          await commit({ delivered: [], deleted: [], failed });
          result.failed += changes.length;
          return;
        } catch (error) {
          if (error !== recordingFailure) throw error;
        }
      }
      unsent += changes.length; // not recorded as failed: still pending in the snapshot, as they were
    };
    const recordUnsent = async (planned: PlannedBatch, reason: Error) => {
      const error: RowError = { code: 'NOT_ATTEMPTED', message: `not sent: the run stopped early (${describeError(reason)})` };
      await recordFailedRows(planned.changes, planned.changes.map((c) => failedRow(c, error)));
    };

    /** Whether sending the batch again after an ambiguous failure cannot make a second record. */
    const resendable = (planned: PlannedBatch) => planned.batch.operation !== 'create' || caps.idempotentCreates === true;

    /**
     * A create sent twice may make two records, so before one goes out its rows are recorded as sent
     * with no answer yet: if the process dies before the answer is recorded, the next plan knows these
     * records may exist (UNCERTAIN_CREATES) instead of creating them again unseen. The answer replaces it.
     */
    const recordSending = async (planned: PlannedBatch) => {
      const error: RowError = { code: OUTCOME_UNKNOWN, message: `sent by run ${ctx.runId}, but its answer was never recorded (the process stopped first), so the record may exist` };
      try {
        await commit({ delivered: [], deleted: [], failed: [], sending: planned.changes.map((c) => failedRow(c, error)) });
      } catch (failure) {
        if (failure instanceof StalePlanError) throw failure;
        throw new StoppedWhileQueued(failure instanceof Error ? failure : new Error(String(failure))); // not sent: nothing could be recorded
      }
    };

    const sendOne = async (planned: PlannedBatch) => {
      events({ type: 'batch-sent', sync: sync.name, operation: planned.batch.operation, size: planned.changes.length });
      try {
        // Requests of the batch after its first, paced one by one (CallPacing); counted per attempt.
        let pacedCalls = 0;
        const pacing = {
          beforeExtraCall: async () => {
            pacedCalls += 1;
            await ctx.pacer.takeSlot();
          },
        };
        const send = async () => {
          // Another batch stopped the run while this one waited its turn in the pacer: don't send it.
          if (stopReason) throw new StoppedWhileQueued(stopReason);
          if (stopRequested()) throw new StoppedWhileQueued(new StopRequested());
          // Every attempt, retries included: a wait for a 429 can outlast the lock.
          await lease.assertHeld();
          if (!resendable(planned)) await recordSending(planned);
          pacedCalls = 0;
          return session.applyBatch(planned.batch, pacing);
        };
        const response = await sendWithRetry(send, ctx.pacer, ctx.clock, ctx.retry, {
          onRetry: (reason, attempt, delayMs, error) => {
            if (reason === 'rate-limited') result.rateLimited += 1;
            result.apiCalls += 1;
            events({ type: 'retry-scheduled', sync: sync.name, reason, attempt, delayMs, message: masker.text(planned.changes, error.message) });
          },
        }, { idempotent: resendable(planned) });
        ctx.pacer.observe(response.rateLimit);
        ctx.pacer.charge(response.calls - 1 - pacedCalls);
        if (response.rateLimitedMs !== undefined) {
          // A 429 cut the batch off after some rows went through: its rows come back retryable; wait first.
          ctx.pacer.pause(response.rateLimitedMs);
          result.rateLimited += 1;
        }
        result.apiCalls += response.calls;
        // Rows held for a resend are neither delivered nor failed yet: the event counts them when they are.
        const settled = await commitResults(planned, masker.results(planned.changes, response.results), commit, result, holdForResend);
        events({ type: 'batch-committed', sync: sync.name, operation: planned.batch.operation, ...settled, calls: response.calls });
      } catch (error) {
        masker.error(planned.changes, error); // before its message is recorded, reported or becomes the stop reason
        if (error instanceof StoppedWhileQueued) {
          if (error.reason instanceof StopRequested) unsent += planned.changes.length;
          else if (!(error.reason instanceof StalePlanError)) await recordUnsent(planned, error.reason);
          return;
        }
        if (error instanceof StalePlanError) {
          stopReason = error;
          throw error;
        }
        if (error instanceof LockLostError) {
          stopReason ??= error;
          unsent += planned.changes.length;
          return;
        }
        if (recordingFailure !== null && error === recordingFailure) return; // the batch went out and is counted; only recording failed
        if (error instanceof CreateOutcomeUnknownError) {
          // Only this batch is in doubt: its rows are recorded for a person to check; the run goes on.
          result.apiCalls += callsMadeBy(error.lastError) ?? 1;
          await recordFailedRows(planned.changes, planned.changes.map((c) => failedRow(c, { code: error.code, message: error.message })));
          return;
        }
        const reason = error instanceof Error ? error : new Error(String(error));
        // Auth, quota and exhausted retries stop the sync: nothing else would get through either.
        stopReason ??= reason;
        result.apiCalls += callsMadeBy(error) ?? 1; // a connector that knows says how many calls the failed batch made
        const rowError: RowError = { code: (reason as { code?: string }).code ?? 'FAILED', message: describeError(reason) };
        await recordFailedRows(planned.changes, planned.changes.map((c) => failedRow(c, rowError)));
      }
    };

    /**
     * One pass over the batches, then passes over the rows held for a resend, re-batched full and
     * spaced by the transient backoff, until none is left or the rounds run out (the last round's
     * rejections are recorded as they came).
     */
    const runWithResends = async (phase: 'writes' | 'deletes') => {
      resendRounds = 0;
      await run(batchChanges(plan.changes, phase, { ...batching, totals: plan.totals }));
      while (resends.length > 0) {
        const held = resends.splice(0);
        if (stopReason || stopRequested()) {
          await recordFailedRows(
            held.map((h) => h.change),
            held.map((h) => failedRow(h.change, h.error)),
          );
          continue;
        }
        resendRounds += 1;
        const delayMs = backoffDelay(resendRounds - 1, ctx.retry);
        const message = `${held.length} row(s) the destination asked to send again (${[...new Set(held.map((h) => h.error.code))].join(', ')})`;
        events({ type: 'retry-scheduled', sync: sync.name, reason: 'rows', attempt: resendRounds, delayMs, message });
        await ctx.clock.sleep(delayMs);
        const changes = held.map((h) => h.change);
        await run(batchChanges(changes, phase, { ...batching, totals: totalsOf(changes) }));
      }
    };

    /**
     * Records that differ only by fields no longer mapped: nothing to send, so the snapshot takes the
     * new payload at once, a page per commit, and later plans see them unchanged.
     */
    const settleSnapshotOnly = async () => {
      let page: Change[] = [];
      const flush = async () => {
        const delivered = page.map((c) => ({ key: c.key, fingerprint: c.fingerprint ?? '', payload: c.after ?? {}, remoteId: c.remoteId }));
        page = [];
        await commit({ delivered, deleted: [], failed: [] });
      };
      for await (const change of plan.changes) {
        if (stopReason || stopRequested()) return;
        if (!isSnapshotOnly(change)) continue;
        page.push(change);
        if (page.length >= SNAPSHOT_ONLY_PAGE) await flush();
      }
      if (page.length > 0) await flush();
    };

    // Each phase reads the changes again from the start; a phase with nothing to do skips the read.
    if ((plan.noLongerMapped?.snapshotOnly ?? 0) > 0) await settleSnapshotOnly().catch((error: unknown) => {
      if (error instanceof StalePlanError) stopReason ??= error;
      else if (error !== recordingFailure) throw error;
    });
    const hasDeletes = plan.totals.delete > 0;
    if (plan.totals.create + plan.totals.update > 0) await runWithResends('writes');
    if (hasDeletes && !stopReason) await runWithResends('deletes');
    else if (hasDeletes) for await (const planned of batchChanges(plan.changes, 'deletes', { ...batching, totals: plan.totals })) await recordUnsent(planned, stopReason!);
    await commits;
  } finally {
    lease.stop();
    await session.close();
  }

  if (unsent > 0) result.unsent = unsent;
  if (unrecorded > 0) result.unrecorded = unrecorded;
  if (stopReason) {
    result.status = stoppedStatus(result.delivered);
    result.message = recordingFailure
      ? recordingFailureMessage(recordingFailure, { unrecorded, unsent, mode: plan.mode, matchOn: sync.destination.matchOn })
      : stopMessage(stopReason);
  } else if (unsent > 0) {
    result.status = 'partial';
    result.message = `stopped on request after the batches in flight: ${unsent} change(s) not sent stay pending and go out on the next run`;
  } else if (result.failed > 0) {
    // Nothing delivered is a failure, not a partial success: it must alert like one.
    result.status = stoppedStatus(result.delivered);
    const rejected = result.delivered === 0 ? `every row (${result.failed}) was rejected by the destination` : `${result.failed} row(s) rejected by the destination`;
    result.message = `${rejected}; see \`ebb errors ${sync.name}\``;
  }
  return result;
}

async function commitResults(
  planned: PlannedBatch,
  results: { status: 'ok' | 'failed'; remoteId?: string | null; error?: RowError }[],
  commit: (batch: Omit<CommitBatch, 'expectedSerial' | 'sync' | 'runId' | 'lineage' | 'definitionHash'>) => Promise<void>,
  result: SyncApplyResult,
  holdForResend: (change: Change, error: RowError) => boolean,
): Promise<{ delivered: number; failed: number }> {
  const isDelete = planned.batch.operation === 'delete';
  const delivered: CommitBatch['delivered'] = [];
  const deleted: string[] = [];
  const failed: FailedRow[] = [];
  planned.changes.forEach((change, i) => {
    const r = results[i];
    if (!r) {
      failed.push(failedRow(change, { code: 'NO_RESULT', message: 'the destination returned no result for this row' }));
    } else if (r.status === 'failed') {
      const error = r.error ?? { code: 'FAILED', message: 'rejected without a reason' };
      if (!holdForResend(change, error)) failed.push(failedRow(change, error));
    } else if (isDelete) {
      deleted.push(change.key);
    } else {
      delivered.push({ key: change.key, fingerprint: change.fingerprint ?? '', payload: change.after ?? {}, remoteId: r.remoteId ?? change.remoteId });
    }
  });
  result.delivered += delivered.length + deleted.length;
  result.failed += failed.length;
  await commit({ delivered, deleted, failed });
  return { delivered: delivered.length + deleted.length, failed: failed.length };
}

/** Snapshot-only records committed per transaction: a page of the diff. */
const SNAPSHOT_ONLY_PAGE = 1_000;

interface FailedResend {
  change: Change;
  error: RowError;
}

/** The caller asked the apply to stop (AbortSignal): not an error of the destination or the rows. */
class StopRequested extends Error {
  constructor() {
    super('a stop was requested');
  }
}

/** Raised instead of sending a batch that was still queued when the run stopped. */
class StoppedWhileQueued extends Error {
  constructor(readonly reason: Error) {
    super(`not sent: the run stopped early (${describeError(reason)})`);
  }
}

function failedRow(change: Change, error: RowError): FailedRow {
  return { key: change.key, action: change.action, error };
}

/** What stopped, what reached the destination unrecorded, and whether sending it again is safe. */
function recordingFailureMessage(error: Error, run: { unrecorded: number; unsent: number; mode: SyncPlan['mode']; matchOn: string }): string {
  const parts = [`stopped: ${error.message.replace(/\.\s*$/, '')}`];
  if (run.unrecorded > 0) {
    const resend =
      run.mode === 'create'
        ? 'in create mode the destination may then hold them twice'
        : `they are matched on "${run.matchOn}", so sending them again updates the same records`;
    parts.push(`${run.unrecorded} row(s) reached the destination but are not recorded: the next plan proposes them again, and ${resend}`);
  }
  if (run.unsent > 0) parts.push(`${run.unsent} change(s) were not sent and stay pending`);
  return `${parts.join('. ')}.`;
}

function stopMessage(error: Error): string {
  if (error instanceof LockLostError) return `stopped: ${error.message}`;
  if (error instanceof AuthError) return `stopped: the destination refused our credentials (${error.message}). Fix the connection's credentials and re-run; unsent rows stay pending`;
  // Destination messages often end with a full stop of their own.
  const reason = error.message.replace(/\.\s*$/, '');
  // Quota messages say themselves when the budget comes back (midnight, a rolling 24 h window).
  if (error instanceof QuotaExhaustedError) return `stopped: ${reason}${/pending/i.test(reason) ? '' : '. Unsent rows stay pending until the quota frees up'}`;
  return `stopped: ${reason}. Unsent rows stay pending and go out on the next run`;
}
