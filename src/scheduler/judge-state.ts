import { stateFindings, type Finding, type StateInput } from '../alerts/rules.ts';
import type { ResolvedSync } from '../core/sync.ts';

/**
 * The timer rules of one sync (stateFindings), except that a schedule whose slots cannot be computed
 * (croner finds no next run) does not take the sync's other rules down with it: freshness and backlog
 * are judged without the schedule, and the schedule's error is handed back for the caller to report.
 */
export function judgeState(sync: ResolvedSync, input: StateInput): { findings: Finding[]; scheduleError?: unknown } {
  try {
    return { findings: stateFindings(sync, input) };
  } catch (error) {
    if (!sync.schedule) throw error;
    const { schedule: _schedule, ...unscheduled } = sync;
    return { findings: stateFindings(unscheduled, input), scheduleError: error };
  }
}
