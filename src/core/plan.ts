import type { ChangeTotals } from './change.ts';
import type { ChangeSet } from './change-set.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { SyncMode } from './sync.ts';

/** Bumped whenever the plan file's shape changes; apply refuses plans of another version. */
export const PLAN_FORMAT_VERSION = 2;

/** The snapshot state a plan was computed against (Terraform's lineage + serial). */
export interface SnapshotBase {
  lineage: string;
  serial: number;
}

/** Why a plan may not be applied without an explicit override. */
export interface GuardBlock {
  code: 'DELETE_THRESHOLD' | 'EMPTY_MODEL';
  message: string;
}

export interface SyncPlan {
  sync: string;
  definitionHash: string;
  base: SnapshotBase;
  mode: SyncMode;
  /** `matchIgnoresCase` is absent from plan files written before it existed (they matched exactly). */
  destination: { connection: string; object: string; matchOn: string; matchIgnoresCase?: boolean };
  /** Destination fields masked in every rendering. */
  sensitiveFields: string[];
  /** Every change, streamed: a plan of a million creates never has to fit in memory. */
  changes: ChangeSet;
  totals: ChangeTotals;
  /** Rows the model returned. */
  modelRows: number;
  /** Records the snapshot held when planning. */
  snapshotRows: number;
  /** Changed rows the mode leaves alone (create-only ignores updates; non-mirror modes keep removed rows). */
  ignored: { update: number; delete: number };
  /**
   * Fields the snapshot holds that the mapping no longer has (left as they are in the destination), and
   * how many of the changes differ only by them: those are snapshot-only (`isSnapshotOnly`), apply
   * sends nothing for them and they are not in `totals`. Absent when there are none.
   */
  noLongerMapped?: { fields: string[]; snapshotOnly: number };
  diagnostics: Diagnostic[];
  /** Set when a guard needs `--allow-deletes`. */
  blocked: GuardBlock | null;
  /** Set when the sync could not be planned (duplicate keys, source error): shown, never applied. */
  errored: boolean;
}

export interface Plan {
  formatVersion: number;
  toolVersion: string;
  id: string;
  createdAt: string;
  syncs: SyncPlan[];
}

/** The changes apply sends to the destination: every change but the snapshot-only ones. */
export function changesToSend(plan: SyncPlan): number {
  return plan.changes.count - (plan.noLongerMapped?.snapshotOnly ?? 0);
}

export function planHasChanges(plan: Plan): boolean {
  return plan.syncs.some((s) => !s.errored && s.changes.count > 0);
}

/** Frees the plan's spooled changes (temporary files); a long-running process calls this once done. */
export function releasePlan(plan: Plan): void {
  for (const syncPlan of plan.syncs) syncPlan.changes.release();
}

export function planHasErrors(plan: Plan): boolean {
  return plan.syncs.some((s) => s.errored);
}
