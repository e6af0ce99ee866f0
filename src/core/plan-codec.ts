import type { Change, ChangeAction } from './change.ts';
import { EbbError } from './errors.ts';
import { PLAN_FORMAT_VERSION, type Plan, type SyncPlan } from './plan.ts';

/**
 * The saved plan file, one JSON document per line so it can be written and read as a stream: a header
 * (the plan without its changes, each sync saying how many it has), then every change of the first
 * sync, then of the next. Gzipped when large. The only place plans are encoded and decoded, so the
 * format can evolve in one spot; the file I/O itself is the CLI's.
 */
export const GZIP_ABOVE_CHANGES = 2_000;

export class PlanFileError extends EbbError {
  constructor(message: string) {
    super('PLAN_FILE', message);
  }
}

export type SyncPlanHeader = Omit<SyncPlan, 'changes'> & { changeCount: number };
export type PlanHeader = Omit<Plan, 'syncs'> & { syncs: SyncPlanHeader[] };

export function encodePlanHeader(plan: Plan): string {
  const syncs = plan.syncs.map(({ changes, ...rest }): SyncPlanHeader => ({ ...rest, changeCount: changes.count }));
  return JSON.stringify({ ebbPlan: true, ...plan, syncs });
}

export function encodeChange(change: Change): string {
  return JSON.stringify(change);
}

const RERUN = 'Re-run `ebb plan --out FILE`';

export function decodePlanHeader(line: string): PlanHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new PlanFileError(`the plan file is not an Ebb plan (its first line is not JSON). ${RERUN}`);
  }
  const candidate = parsed as Partial<PlanHeader> & { ebbPlan?: boolean };
  if (typeof parsed !== 'object' || parsed === null || candidate.ebbPlan !== true) {
    throw new PlanFileError('this file is not an Ebb plan. Create one with `ebb plan --out FILE`');
  }
  if (candidate.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(`the plan file has format version ${String(candidate.formatVersion)}; this Ebb reads version ${PLAN_FORMAT_VERSION}. Re-run \`ebb plan\``);
  }
  if (!Array.isArray(candidate.syncs) || typeof candidate.id !== 'string' || typeof candidate.toolVersion !== 'string') {
    throw new PlanFileError(`the plan file is incomplete (missing id, toolVersion or syncs). ${RERUN}`);
  }
  if (!candidate.syncs.every((s) => Number.isInteger(s?.changeCount) && s.changeCount >= 0)) {
    throw new PlanFileError(`the plan file does not say how many changes each sync has. ${RERUN}`);
  }
  const { ebbPlan: _marker, ...header } = candidate;
  return header as PlanHeader;
}

const ACTIONS: ReadonlySet<ChangeAction> = new Set(['create', 'update', 'delete']);

/** `line`: 1-based line number in the file, for the message. */
export function decodeChange(text: string, line: number): Change {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PlanFileError(`line ${line} of the plan file is not valid JSON (was the file edited or cut short?). ${RERUN}`);
  }
  const change = parsed as Partial<Change>;
  if (typeof parsed !== 'object' || parsed === null || !ACTIONS.has(change.action as ChangeAction) || typeof change.key !== 'string' || !Array.isArray(change.changedFields)) {
    throw new PlanFileError(`line ${line} of the plan file is not a change (action, key, changedFields). ${RERUN}`);
  }
  return change as Change;
}
