import type { CycleReport } from '../scheduler/cycle-report.ts';
import type { RunRecord } from '../snapshot/store.ts';

/** Apply runs the failure-rate SLA looks back over, the current one included. */
export const FAILURE_RATE_WINDOW_RUNS = 5;

/** Rows the destination answered about (delivered or rejected), and of those rejected, over `runs` apply runs. */
export interface RejectionWindow {
  runs: number;
  attempted: number;
  rejected: number;
}

/** The current run alone: what the rule judges when no history is at hand. */
export function currentRunOnly(report: CycleReport): RejectionWindow {
  return { runs: 1, attempted: report.attempted, rejected: report.rejected };
}

/**
 * What the failure-rate rule judges: the rows of the current run and of the apply runs before it (newest
 * first, up to `size` runs in all), going back no further than the last run that delivered everything it
 * planned. Summed over rows, a run that re-sends only a stuck row ("1 of 1 rejected") weighs one row against
 * the hundreds a full run delivered, so it cannot flip the judgement either way. A run that delivered
 * everything ends the window, and when it is the current run it is the whole window: every rejected row is
 * proposed again by the next plan, so such a run shows that no row fails any more, and the rejections before
 * it are fixed, not a rate to wait out.
 *
 * `history` is the sync's run history, newest first (listRuns); the current run is taken from the report
 * (its record, if the history has it, is skipped), so a run whose record could not be written still counts.
 * Left out: runs the destination answered no row in, and runs recorded before rejections were kept apart
 * from rows not sent (`rejected` null).
 */
export function rejectionWindow(report: CycleReport, history: readonly RunRecord[], size = FAILURE_RATE_WINDOW_RUNS): RejectionWindow {
  const window = currentRunOnly(report);
  if (report.apply?.status === 'succeeded') return window;
  for (const run of history) {
    if (window.runs >= size) break;
    if (run.kind !== 'apply' || run.status === 'running' || run.id === report.apply?.runId) continue;
    const clean = run.status === 'succeeded';
    const rejected = clean ? 0 : run.rejected;
    // A run the destination answered nothing in (it stopped before any row) has no rate to add.
    if (rejected !== null && run.delivered + rejected > 0) {
      window.runs += 1;
      window.attempted += run.delivered + rejected;
      window.rejected += rejected;
    }
    if (clean) break;
  }
  return window;
}
