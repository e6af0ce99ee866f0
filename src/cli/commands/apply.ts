import { resolve } from 'node:path';
import { planHasChanges, releasePlan, type Plan } from '../../core/plan.ts';
import { applyPlan } from '../../engine/executor.ts';
import type { SyncApplyResult } from '../../engine/events.ts';
import type { CliIo } from '../io.ts';
import { readPlanFile } from '../plan-file.ts';
import { progressReporter } from '../progress.ts';
import type { Project } from '../project.ts';
import { EBB_VERSION } from '../version.ts';
import { computePlan, showPlan } from './plan.ts';
import { onStopSignals } from '../stop-signals.ts';

/** Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

export interface ApplyFlags {
  planFile?: string;
  syncs: string[];
  autoApprove: boolean;
  allowDeletes: boolean;
  maxChanges: number;
}

/**
 * `ebb apply FILE` pushes exactly a saved plan; `ebb apply` plans, shows, asks, then pushes that plan.
 * Exit 0 when everything was delivered, 1 when anything failed or was rejected, 130 when stopped by
 * Ctrl-C or SIGTERM (after the batches in flight are committed; a second signal stops at once).
 */
export async function applyCommand(io: CliIo, project: Project, flags: ApplyFlags): Promise<number> {
  const plan = flags.planFile ? await readPlanFile(resolve(io.cwd, flags.planFile)) : await computePlan(project, flags.syncs);
  try {
    return await confirmAndApply(io, project, flags, plan);
  } finally {
    releasePlan(plan);
  }
}

async function confirmAndApply(io: CliIo, project: Project, flags: ApplyFlags, plan: Plan): Promise<number> {
  if (!flags.planFile) {
    await showPlan(io, plan, { json: false, maxChanges: flags.maxChanges });
    if (!planHasChanges(plan)) {
      io.out('Nothing to apply.');
      return plan.syncs.some((s) => s.errored) ? 1 : 0;
    }
    if (!flags.autoApprove) {
      if (!io.isTTY) {
        io.err('Refusing to apply without confirmation: no terminal to ask. Review the plan and re-run with --auto-approve, or apply a saved plan file.');
        return 1;
      }
      if (!(await io.confirm('Apply these changes?'))) {
        io.err('Apply cancelled; nothing was sent.');
        return 1;
      }
    }
  }
  // Ctrl-C or SIGTERM: the batches in flight finish and are committed, the rest stay pending. A second
  // one stops at once; what was in flight is then re-sent, safely, by the next apply.
  const stop = new AbortController();
  const signals = onStopSignals(
    (signal) => {
      io.err(`${signal}: finishing the batches in flight, then stopping (press Ctrl-C again to stop at once).`);
      stop.abort();
    },
    () => {},
  );
  try {
    const applying = applyPlan(
      plan,
      {
        store: project.store,
        syncs: new Map(project.config.syncs.map((s) => [s.name, s])),
        connection: (name) => project.connection(name),
        rootDir: project.config.rootDir,
        toolVersion: EBB_VERSION,
        events: progressReporter(io),
        signal: stop.signal,
      },
      { allowDeletes: flags.allowDeletes },
    );
    // Once forced, the apply is abandoned mid-flight: whatever it still throws is of no interest.
    applying.catch(() => undefined);
    const result = await Promise.race([applying, signals.forced.then(() => null)]);
    if (result === null) {
      io.err('Stopped without waiting: batches in flight were not acknowledged; the next apply re-sends them, matched on each sync\'s matchOn.');
      return INTERRUPTED;
    }
    for (const sync of result.syncs) io.out(summaryLine(sync));
    if (stop.signal.aborted) return INTERRUPTED;
    const failed = result.syncs.filter((s) => s.status === 'failed' || s.status === 'partial');
    if (failed.some((s) => s.failed > 0)) io.out('See why rows were rejected with `ebb errors SYNC`; they are proposed again by the next plan.');
    return failed.length > 0 ? 1 : 0;
  } finally {
    signals();
  }
}

function summaryLine(r: SyncApplyResult): string {
  const head = `${r.sync}: ${r.status}`;
  if (r.status === 'skipped') return `${head} (${r.message ?? 'nothing to do'})`;
  const counts = `${r.delivered} delivered, ${r.failed} failed of ${r.planned}; ${r.apiCalls} API call(s), ${r.rateLimited} rate-limited`;
  return `${head}: ${counts}${r.message ? `. ${r.message}` : ''}`;
}
