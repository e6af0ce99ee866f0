import type { Change } from '../../core/change.ts';
import { mapChanges } from '../../core/change-set.ts';
import { SENSITIVE_MASK } from '../../core/mask-sent-values.ts';
import type { Plan, SyncPlan } from '../../core/plan.ts';
import type { Row } from '../../core/values.ts';

export const MASK = SENSITIVE_MASK;

function maskRow(row: Row | null, sensitive: ReadonlySet<string>): Row | null {
  if (!row) return row;
  const masked: Row = {};
  for (const [field, value] of Object.entries(row)) masked[field] = sensitive.has(field) && value !== null ? MASK : value;
  return masked;
}

export function maskChange(change: Change, sensitive: ReadonlySet<string>): Change {
  if (sensitive.size === 0) return change;
  return { ...change, before: maskRow(change.before, sensitive), after: maskRow(change.after, sensitive) };
}

/** The plan as every rendering sees it: values of sensitive fields replaced (as each change is read), never the real ones. */
export function maskPlan(plan: Plan): Plan {
  return { ...plan, syncs: plan.syncs.map(maskSyncPlan) };
}

function maskSyncPlan(syncPlan: SyncPlan): SyncPlan {
  const sensitive = new Set(syncPlan.sensitiveFields);
  return { ...syncPlan, changes: mapChanges(syncPlan.changes, (c) => maskChange(c, sensitive)) };
}
