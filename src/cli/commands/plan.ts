import { resolve } from 'node:path';
import { planHasChanges, planHasErrors, releasePlan, type Plan } from '../../core/plan.ts';
import { planSyncs } from '../../engine/planner.ts';
import type { CliIo } from '../io.ts';
import { writePlanFile } from '../plan-file.ts';
import type { Project } from '../project.ts';
import { writePlanJson } from '../render/plan-json.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { styleFor } from '../render/style.ts';
import { EBB_VERSION } from '../version.ts';

export interface PlanFlags {
  syncs: string[];
  out?: string;
  json: boolean;
  detailedExitcode: boolean;
  maxChanges: number;
}

export async function computePlan(project: Project, syncNames: readonly string[]): Promise<Plan> {
  return planSyncs(project.select(syncNames), { store: project.store, openSource: (c) => project.openSource(c), toolVersion: EBB_VERSION });
}

export async function showPlan(io: CliIo, plan: Plan, flags: Pick<PlanFlags, 'json' | 'maxChanges'>): Promise<void> {
  if (flags.json) await writePlanJson(plan, io.out);
  else io.out(await renderPlanText(plan, { style: styleFor(io.isTTY), maxChangesPerSync: flags.maxChanges }));
}

/** `ebb plan`: exit 0 no changes, 2 changes (with --detailed-exitcode), 1 errors — terraform's convention. */
export async function planCommand(io: CliIo, project: Project, flags: PlanFlags): Promise<number> {
  const plan = await computePlan(project, flags.syncs);
  try {
    await showPlan(io, plan, flags);
    if (flags.out) {
      const path = resolve(io.cwd, flags.out);
      await writePlanFile(path, plan);
      io.err(`Saved the plan to ${path} (mode 0600: it holds the exact payloads to send). Apply it with \`ebb apply ${flags.out}\`.`);
    }
  } finally {
    releasePlan(plan);
  }
  if (planHasErrors(plan)) return 1;
  return flags.detailedExitcode && planHasChanges(plan) ? 2 : 0;
}
