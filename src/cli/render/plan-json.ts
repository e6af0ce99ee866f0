import type { Plan } from '../../core/plan.ts';
import { maskPlan } from './mask.ts';

/**
 * `ebb plan --json`: the plan as one JSON document, masked, written a change per line as the changes
 * are read, so printing a plan of a million changes never holds it whole.
 */
export async function writePlanJson(plan: Plan, out: (text: string) => void): Promise<void> {
  const { syncs, ...header } = maskPlan(plan);
  out(`${openObject(header)},"syncs":[`);
  for (const [i, { changes, ...syncPlan }] of syncs.entries()) {
    out(`${i > 0 ? ',' : ''}${openObject({ ...syncPlan, changeCount: changes.count })},"changes":[`);
    let first = true;
    for await (const change of changes) {
      out(`${first ? '' : ','}${JSON.stringify(change)}`);
      first = false;
    }
    out(']}');
  }
  out(']}');
}

/** `{"a":1}` → `{"a":1` so more members can follow (every object here has members). */
function openObject(value: object): string {
  return JSON.stringify(value).slice(0, -1);
}
