import type { ChangeTotals } from '../core/change.ts';
import type { GuardBlock } from '../core/plan.ts';
import type { SyncApplyResult } from '../engine/events.ts';
import type { CycleOutcome, PendingSummary } from '../snapshot/store.ts';

/**
 * What one cycle (plan, then apply within the guards) of one sync did. `busy`: another process held
 * the sync's lock, so nothing ran; `interrupted`: a stop was requested (unsent changes stay pending).
 * Neither counts as a success or a failure.
 */
export interface CycleReport {
  sync: string;
  outcome: CycleOutcome | 'busy' | 'interrupted';
  message: string | null;
  startedAt: number;
  finishedAt: number;
  /** What the plan found; null when the cycle did not get as far as a plan. */
  plan: { changes: number; totals: ChangeTotals; modelRows: number; errored: boolean; blocked: GuardBlock | null } | null;
  /**
   * The plan's warning diagnostics (e.g. KEYS_MERGED), which `ebb plan` shows but a cycle does not
   * act on: reported so they are printed, logged and kept in the run history rather than lost.
   */
  warnings: PlanWarning[];
  apply: SyncApplyResult | null;
  /** Rows the destination answered about, and how many of those it rejected (the failure-rate SLA). */
  attempted: number;
  rejected: number;
  /**
   * Rows with a recorded error (rejected, or not sent, by an earlier run) when the apply began: a run that
   * sent only such rows and had every one rejected again shows nothing new about the destination.
   */
  alreadyFailing: number;
  /** Pending changes after the cycle: the backlog and the delivery lag. */
  pending: PendingSummary;
  /** Destination account written to (metric label; never holds secrets). */
  account: string | null;
}

export interface PlanWarning {
  code: string;
  message: string;
}

/** One warning as `ebb run` prints it and the log writes it: `contacts: warning [KEYS_MERGED] …`. */
export function warningLine(sync: string, warning: PlanWarning): string {
  return `${sync}: ${warningText(warning)}`;
}

/** Without the sync's name, for places that already show it (the run history). */
export function warningText(warning: PlanWarning): string {
  return `warning [${warning.code}] ${warning.message}`;
}

/**
 * A run that delivered nothing only because all it sent were rows already failing, rejected again (a
 * stuck row re-sent alone): nothing new about the destination. More rows rejected than were failing,
 * and the run shows rows refused that went in before.
 */
export function onlyFailingRowsRejectedAgain(report: Pick<CycleReport, 'apply' | 'rejected' | 'alreadyFailing'>): boolean {
  const apply = report.apply;
  return apply !== null && apply.delivered === 0 && report.rejected > 0 && apply.failed === report.rejected && report.rejected <= report.alreadyFailing;
}

/** Cycles that count as the sync running: data got through, or there was nothing to send. */
export function cycleSucceeded(outcome: CycleReport['outcome']): boolean {
  return outcome === 'succeeded' || outcome === 'partial';
}
