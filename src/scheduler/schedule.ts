import { Cron } from 'croner';
import { EbbError } from '../core/errors.ts';
import type { Schedule } from '../core/sync.ts';

/**
 * Schedule arithmetic on plain epoch milliseconds, so a controllable clock drives it. Cron schedules
 * use croner in the schedule's timezone; interval schedules form a grid anchored at a previous slot.
 */
export class SyncSchedule {
  private readonly cron: Cron | null;

  constructor(readonly schedule: Schedule) {
    if (schedule.cron !== undefined) {
      // paused: croner only computes dates here; the scheduler owns the timers.
      this.cron = new Cron(schedule.cron, { paused: true, ...(schedule.timezone ? { timezone: schedule.timezone } : {}) });
    } else if (schedule.everyMs !== undefined && schedule.everyMs > 0) {
      this.cron = null;
    } else {
      throw new EbbError('INVALID_SCHEDULE', 'a schedule needs `cron` or a positive `every`');
    }
  }

  /**
   * The first slot strictly after `afterMs`. Interval slots lie on the grid `anchorMs + k × every`, so
   * a late start does not shift later runs; missed slots in between are skipped, never queued.
   */
  nextSlotAfter(anchorMs: number, afterMs: number): number {
    if (this.cron) {
      const next = this.cron.nextRun(new Date(afterMs));
      if (!next) throw new EbbError('SCHEDULE_EXHAUSTED', `cron '${this.schedule.cron}' has no run after ${new Date(afterMs).toISOString()}`);
      return next.getTime();
    }
    const every = this.schedule.everyMs!;
    if (anchorMs > afterMs) return anchorMs;
    return anchorMs + (Math.floor((afterMs - anchorMs) / every) + 1) * every;
  }

  /** Human form for messages: `every 15m` or `cron '0 9 * * *' (Europe/Paris)`. */
  describe(): string {
    if (this.schedule.cron !== undefined) return `cron '${this.schedule.cron}'${this.schedule.timezone ? ` (${this.schedule.timezone})` : ''}`;
    return `every ${formatDuration(this.schedule.everyMs!)}`;
  }

  /**
   * When a sync whose last success was at `lastSuccessMs` counts as no longer running: two scheduled
   * slots have passed since without a success (2× the interval for `every`), plus a grace of 10% of
   * the interval (1 to 15 minutes) for the run that should have started at the second slot.
   */
  overdueAt(lastSuccessMs: number): number {
    const first = this.nextSlotAfter(lastSuccessMs, lastSuccessMs);
    const second = this.nextSlotAfter(first, first);
    const grace = Math.min(15 * 60_000, Math.max(60_000, (second - first) / 10));
    return second + grace;
  }
}

/** Two largest units, for messages: `90061000` → `1d1h`, `330000` → `5m30s`, `500` → `500ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join('');
}
