import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodePlan, encodePlan } from '../core/plan-codec.ts';
import type { Plan } from '../core/plan.ts';

/** Plan files hold the exact payloads to push (often personal data): owner-only permissions. */
export function writePlanFile(path: string, plan: Plan): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePlan(plan), { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its old mode on write
}

export function readPlanFile(path: string): Plan {
  return decodePlan(readFileSync(path));
}
