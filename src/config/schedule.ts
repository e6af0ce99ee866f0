import { z } from 'zod';
import { Cron } from 'croner';
import { ConfigCodes } from './diagnostics.ts';
import { durationSchema } from './duration.ts';

/** Why a cron expression is invalid, or undefined when croner accepts it. */
export function cronProblem(expression: string): string | undefined {
  try {
    // Without a callback croner schedules nothing; stop() anyway so no timer can outlive the check.
    new Cron(expression, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern:\s*/, '');
  }
}

/**
 * True when croner parses the expression but no date matches it (e.g. '0 0 30 2 *', the 30th of
 * February): the scheduler could never compute a slot for it, so it is refused at load instead.
 * Whether a date matches does not depend on the time zone, so none is needed.
 */
export function cronNeverFires(expression: string): boolean {
  try {
    const cron = new Cron(expression, { paused: true });
    const next = cron.nextRun();
    cron.stop();
    return next === null;
  } catch {
    return false; // a parse problem, which cronProblem reports
  }
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** `{ cron, timezone? }` or `{ every }`: one object so a wrong combination gets one clear message. */
export const scheduleSchema = z
  .strictObject({
    cron: z.string().optional(),
    timezone: z.string().optional(),
    every: durationSchema.optional(),
  })
  .superRefine((schedule, ctx) => {
    const problem = (path: string, code: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: path ? [path] : [], message, params: { code } });
    if ((schedule.cron === undefined) === (schedule.every === undefined)) {
      problem('', ConfigCodes.INVALID_SCHEDULE, "Give exactly one of `cron` (e.g. '*/15 * * * *') or `every` (e.g. '15m').");
    }
    if (schedule.timezone !== undefined && schedule.cron === undefined) {
      problem('timezone', ConfigCodes.INVALID_SCHEDULE, '`timezone` only applies to `cron` schedules; remove it or use `cron`.');
    }
    if (schedule.cron !== undefined) {
      const why = cronProblem(schedule.cron);
      if (why) problem('cron', ConfigCodes.INVALID_CRON, `Invalid cron expression '${schedule.cron}': ${why}. Use five fields, e.g. '*/15 * * * *'.`);
      else if (cronNeverFires(schedule.cron)) {
        problem(
          'cron',
          ConfigCodes.CRON_NEVER_FIRES,
          `Cron expression '${schedule.cron}' never fires: no date matches its day-of-month and month (e.g. the 30th of February), so the sync would never run. Fix those fields; \`L\` means the last day of the month, e.g. '0 0 L 2 *'.`,
        );
      }
    }
    if (schedule.timezone !== undefined && !isValidTimezone(schedule.timezone)) {
      problem('timezone', ConfigCodes.INVALID_TIMEZONE, `Unknown time zone '${schedule.timezone}'; use an IANA name such as 'Europe/Paris' or 'UTC'.`);
    }
  });
