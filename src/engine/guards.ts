import type { GuardBlock } from '../core/plan.ts';
import type { DeleteGuard } from '../core/sync.ts';

/**
 * Deletes are the one irreversible thing Ebb does. A model that suddenly returns nothing, or a plan
 * that would remove a large share of what Ebb wrote, is far more often a broken query than intent.
 */
export function deleteGuardBlock(input: { deletes: number; snapshotRows: number; modelRows: number; guard: DeleteGuard }): GuardBlock | null {
  const { deletes, snapshotRows, modelRows, guard } = input;
  if (deletes === 0) return null;
  if (modelRows === 0 && guard.blockWhenModelEmpty) {
    return {
      code: 'EMPTY_MODEL',
      message: `the model returned 0 rows, so every one of the ${snapshotRows} records Ebb wrote would be deleted. Check the query; if this is intended, apply with --allow-deletes`,
    };
  }
  const percent = snapshotRows === 0 ? 0 : (deletes / snapshotRows) * 100;
  if (percent > guard.maxDeletePercent) {
    return {
      code: 'DELETE_THRESHOLD',
      message: `${deletes} of ${snapshotRows} records (${percent.toFixed(1)}%) would be deleted, above the ${guard.maxDeletePercent}% guard. Check the model; if this is intended, apply with --allow-deletes (or raise deletes.maxDeletePercent)`,
    };
  }
  return null;
}
