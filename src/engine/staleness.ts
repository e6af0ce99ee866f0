import { StalePlanError } from '../core/errors.ts';
import { PLAN_FORMAT_VERSION, type Plan, type SyncPlan } from '../core/plan.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { SyncState } from '../snapshot/store.ts';

/** A plan is only applied to exactly the world it was computed against. */
export function assertPlanFormat(plan: Plan, toolVersion: string): void {
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new StalePlanError(`this plan file has format version ${plan.formatVersion}, but this Ebb reads version ${PLAN_FORMAT_VERSION}. Re-run \`ebb plan\` with this version`);
  }
  if (plan.toolVersion !== toolVersion) {
    throw new StalePlanError(`this plan was made by Ebb ${plan.toolVersion}, but this is Ebb ${toolVersion}. Re-run \`ebb plan\``);
  }
}

export function assertSyncPlanFresh(syncPlan: SyncPlan, sync: ResolvedSync | undefined, state: SyncState | null): void {
  if (!sync) throw new StalePlanError(`sync "${syncPlan.sync}" is no longer defined in syncs/. Re-run \`ebb plan\``);
  if (sync.definitionHash !== syncPlan.definitionHash) {
    throw new StalePlanError(`sync "${sync.name}" changed (${sync.file}) since this plan was made. Re-run \`ebb plan\``);
  }
  if (!state || state.lineage !== syncPlan.base.lineage) {
    throw new StalePlanError(`sync "${sync.name}" was planned against a different snapshot (it was reset since). Re-run \`ebb plan\``);
  }
  if (state.serial !== syncPlan.base.serial) {
    throw new StalePlanError(`the snapshot of "${sync.name}" changed since this plan was made (serial ${syncPlan.base.serial} → ${state.serial}), e.g. by another apply. Re-run \`ebb plan\``);
  }
}
