import { gunzipSync, gzipSync } from 'node:zlib';
import { EbbError } from './errors.ts';
import { PLAN_FORMAT_VERSION, type Plan } from './plan.ts';

/**
 * The saved plan file: versioned JSON, gzipped when large. The only place plans are encoded and
 * decoded, so the file format can evolve in one spot.
 */
export const GZIP_ABOVE_BYTES = 1_000_000;

export class PlanFileError extends EbbError {
  constructor(message: string) {
    super('PLAN_FILE', message);
  }
}

export function encodePlan(plan: Plan): Buffer {
  const json = Buffer.from(JSON.stringify({ ebbPlan: true, ...plan }), 'utf8');
  return json.length > GZIP_ABOVE_BYTES ? gzipSync(json) : json;
}

export function decodePlan(bytes: Buffer): Plan {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new PlanFileError('the plan file is corrupt (gzip data could not be read). Re-run `ebb plan --out FILE`');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PlanFileError('the plan file is not valid JSON. Re-run `ebb plan --out FILE`');
  }
  const candidate = parsed as Partial<Plan> & { ebbPlan?: boolean };
  if (typeof parsed !== 'object' || parsed === null || candidate.ebbPlan !== true) {
    throw new PlanFileError('this file is not an Ebb plan. Create one with `ebb plan --out FILE`');
  }
  if (candidate.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(`the plan file has format version ${String(candidate.formatVersion)}; this Ebb reads version ${PLAN_FORMAT_VERSION}. Re-run \`ebb plan\``);
  }
  if (!Array.isArray(candidate.syncs) || typeof candidate.id !== 'string' || typeof candidate.toolVersion !== 'string') {
    throw new PlanFileError('the plan file is incomplete (missing id, toolVersion or syncs). Re-run `ebb plan --out FILE`');
  }
  const { ebbPlan: _marker, ...plan } = candidate;
  return plan as Plan;
}
