import { describe, expect, it } from 'vitest';
import { ConfigError, parseDuration } from '../../src/config/index.ts';
import { cronProblem, isValidTimezone, scheduleSchema } from '../../src/config/schedule.ts';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days, milliseconds and plain numbers', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration(' 5 m ')).toBe(300_000);
    expect(parseDuration(1_500)).toBe(1_500);
  });

  it('rejects what it cannot read, saying what it accepts', () => {
    for (const bad of ['15', 'soon', '15 minutes', '-5m', '0s', '', 'm']) {
      expect(() => parseDuration(bad), bad).toThrow(ConfigError);
    }
    expect(() => parseDuration(0)).toThrow(/greater than zero/);
    expect(() => parseDuration(Number.NaN)).toThrow(ConfigError);
    expect(() => parseDuration('soon')).toThrow("'30s', '15m', '2h' or '1d'");
  });
});

describe('schedule', () => {
  it('accepts cron with an IANA time zone, or every', () => {
    expect(scheduleSchema.parse({ cron: '*/15 * * * *', timezone: 'Europe/Paris' })).toEqual({ cron: '*/15 * * * *', timezone: 'Europe/Paris' });
    expect(scheduleSchema.parse({ every: '15m' })).toEqual({ every: 900_000 });
  });

  it('checks cron expressions with croner and time zones with Intl', () => {
    expect(cronProblem('0 6 * * 1-5')).toBeUndefined();
    expect(cronProblem('61 * * * *')).toMatch(/minute/);
    expect(cronProblem('every day')).toBeDefined();
    expect(isValidTimezone('America/New_York')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });

  it('refuses both or neither of cron and every, and a time zone without cron', () => {
    expect(scheduleSchema.safeParse({ cron: '* * * * *', every: '1m' }).success).toBe(false);
    expect(scheduleSchema.safeParse({}).success).toBe(false);
    const withZone = scheduleSchema.safeParse({ every: '1m', timezone: 'UTC' });
    expect(withZone.error?.issues.map((i) => i.path.join('.'))).toEqual(['timezone']);
  });
});
