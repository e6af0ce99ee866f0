import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { ConfigCodes } from './diagnostics.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

export const DURATION_HINT = "use a number of milliseconds or a string like '30s', '15m', '2h' or '1d'";

/** `'15m'` → 900000. A number is taken as milliseconds. Throws ConfigError for anything else. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input > 0) return Math.round(input);
    throw new ConfigError(`Invalid duration ${input}: ${DURATION_HINT} (greater than zero).`, {
      code: ConfigCodes.INVALID_DURATION,
    });
  }
  const match = DURATION.exec(input.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms > 0)) {
    throw new ConfigError(`Invalid duration '${input}': ${DURATION_HINT}.`, { code: ConfigCodes.INVALID_DURATION });
  }
  return Math.round(ms);
}

/** Accepts what users write (`'15m'`, `900000`) and yields milliseconds. */
export const durationSchema = z.union([z.string(), z.number()]).transform((input, ctx) => {
  try {
    return parseDuration(input);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, params: { code: ConfigCodes.INVALID_DURATION } });
    return z.NEVER;
  }
});
