import type { HubspotSandboxKnobs } from './types.ts';

export const DEFAULT_KNOBS: HubspotSandboxKnobs = {
  requestsPer10s: 100,
  windowMs: 10_000,
  dailyLimit: 250_000,
  missingScopes: [],
  failNext: 0,
  failKind: 'http500',
  delayMs: 0,
  rowErrors: 'auto',
  resultOrder: 'shuffled',
  rejectIds: [],
  retryAfterSeconds: null,
};

type Check = (value: unknown) => boolean;

const isCount: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isPositive: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value > 0;
const isStrings: Check = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value);

const CHECKS: Record<keyof HubspotSandboxKnobs, [Check, string]> = {
  requestsPer10s: [isPositive, 'a positive integer'],
  windowMs: [isPositive, 'a positive integer (milliseconds)'],
  dailyLimit: [isCount, 'a non-negative integer'],
  missingScopes: [isStrings, 'an array of scope names'],
  failNext: [isCount, 'a non-negative integer'],
  failKind: [oneOf('http500', 'html502', 'reset'), '"http500", "html502" or "reset"'],
  delayMs: [isCount, 'a non-negative integer (milliseconds)'],
  rowErrors: [oneOf('auto', 'wholeBatch'), '"auto" or "wholeBatch"'],
  resultOrder: [oneOf('input', 'reversed', 'shuffled'), '"input", "reversed" or "shuffled"'],
  rejectIds: [isStrings, 'an array of ids / idProperty values / objectWriteTraceIds'],
  retryAfterSeconds: [(value) => value === null || isCount(value), 'null or a non-negative integer (seconds)'],
};

/** Checks a knob patch (from code or from `POST /__sandbox/knobs`); throws a message naming the bad key. */
export function checkKnobPatch(patch: unknown): Partial<HubspotSandboxKnobs> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('knobs must be a JSON object');
  for (const [key, value] of Object.entries(patch)) {
    const check = CHECKS[key as keyof HubspotSandboxKnobs];
    if (check === undefined) throw new Error(`unknown knob "${key}"; known knobs: ${Object.keys(CHECKS).join(', ')}`);
    if (!check[0](value)) throw new Error(`knob "${key}" must be ${check[1]}`);
  }
  return patch as Partial<HubspotSandboxKnobs>;
}
