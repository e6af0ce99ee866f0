import { notificationOf, notificationText } from '../../alerts/notification.ts';
import { DEFAULT_OPERATIONS } from '../../config/resolve-operations.ts';
import { createLogger } from '../../observability/logger.ts';
import { warningLine, type CycleReport } from '../../scheduler/cycle-report.ts';
import { createSyncRuntime } from '../../scheduler/runtime.ts';
import type { CliIo } from '../io.ts';
import { progressReporter } from '../progress.ts';
import type { Project } from '../project.ts';
import { UsageError } from '../usage-error.ts';
import { EBB_VERSION } from '../version.ts';
import { onStopSignals } from '../stop-signals.ts';

const DAY_MS = 86_400_000;
/** Exit code of a run stopped at once by a second Ctrl-C or SIGTERM (128 + SIGINT), as `ebb apply` uses. */
const INTERRUPTED = 130;

/**
 * `ebb run SYNC…`: one scheduled-style run now, in dependency order: plan, then apply within the
 * guards (a blocked plan is not applied without --allow-deletes), alert rules evaluated and notified
 * as `ebb schedule` would; the plan's warnings are printed under the run's line. Exit 0 when every run
 * succeeded, with warnings or not, 1 otherwise. SIGTERM/SIGINT stop after the
 * batches in flight, leaving unsent changes pending; a second one stops at once (130), for a run stuck
 * on a destination call or a warehouse that does not answer.
 */
export async function runCommand(io: CliIo, project: Project, flags: { syncs: string[]; allowDeletes: boolean }): Promise<number> {
  if (flags.syncs.length === 0) throw new UsageError('name the sync(s) to run now: `ebb run SYNC [SYNC…]` (`ebb schedule` runs them on their schedules)');
  const syncs = project.select(flags.syncs);
  const logger = createLogger(project.config.logging ?? DEFAULT_OPERATIONS.logging);
  const runtime = createSyncRuntime(project, { env: io.env, logger, toolVersion: EBB_VERSION, events: progressReporter(io) });
  const stop = new AbortController();
  const dispose = onStopSignals(
    (signal) => {
      io.out(`${signal}: finishing the batches in flight, then stopping (press Ctrl-C again to stop at once).`);
      stop.abort();
    },
    () => {},
  );
  try {
    const running = runAll();
    // Once forced, the runs are abandoned mid-flight: whatever they still throw is of no interest.
    running.catch(() => undefined);
    const ok = await Promise.race([running, dispose.forced.then(() => null)]);
    if (ok === null) {
      io.err("Stopped without waiting: batches in flight were not acknowledged; the next run re-sends them, matched on each sync's matchOn.");
      return INTERRUPTED;
    }
    return ok ? 0 : 1;
  } finally {
    dispose();
  }

  async function runAll(): Promise<boolean> {
    let ok = true;
    await runtime.alerts.deliverOutbox();
    for (const sync of syncs) {
      if (stop.signal.aborted) break;
      const report = await runtime.runCycle(sync, { allowDeletes: flags.allowDeletes, signal: stop.signal });
      io.out(summaryLine(report));
      for (const warning of report.warnings) io.out(warningLine(report.sync, warning));
      for (const change of await runtime.alertOn(sync, report)) io.out(`  alert ${notificationText(notificationOf(change))}`);
      if (report.outcome !== 'succeeded') ok = false;
    }
    const before = new Date(runtime.clock.now() - runtime.retention.days * DAY_MS).toISOString();
    await project.store.prune({ before });
    await runtime.alerts.settled();
    return ok;
  }
}

function summaryLine(r: CycleReport): string {
  const head = `${r.sync}: ${r.outcome}`;
  const apply = r.apply;
  if (r.outcome === 'blocked') return `${head}: ${r.plan?.blocked?.message ?? r.message}. Nothing was applied; re-run with --allow-deletes if this is intended.`;
  if (!apply) return `${head}${r.message ? ` (${r.message})` : ''}`;
  const counts = `${apply.delivered} delivered, ${apply.failed} failed of ${apply.planned}; ${apply.apiCalls} API call(s), ${apply.rateLimited} rate-limited; ${r.pending.count} still pending`;
  return `${head}: ${counts}${apply.message ? `. ${apply.message}` : ''}`;
}
