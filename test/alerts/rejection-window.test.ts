import { describe, expect, it } from 'vitest';
import { rejectionWindow } from '../../src/alerts/rejection-window.ts';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
import type { RunRecord } from '../../src/snapshot/store.ts';

const T0 = Date.parse('2031-03-01T09:00:00.000Z');
let minute = 100;

/** A finished apply run of the history; listed newest first, as listRuns does. */
function run(extra: Partial<RunRecord>): RunRecord {
  minute -= 1;
  const at = new Date(T0 + minute * 60_000).toISOString();
  return { id: `r${minute}`, sync: 'contacts', kind: 'apply', startedAt: at, finishedAt: at, status: 'partial', planned: 0, delivered: 0, failed: 0, rejected: 0, apiCalls: 1, rateLimited: 0, message: null, ...extra };
}

/** The current run: 1 of 1 rejected (a stuck row re-sent alone), recorded as `current` in the history. */
function current(extra: Partial<CycleReport> = {}): CycleReport {
  return {
    sync: 'contacts', outcome: 'failed', message: null, startedAt: T0, finishedAt: T0, attempted: 1, rejected: 1, alreadyFailing: 1, account: 'memory:x',
    plan: { changes: 1, totals: { create: 1, update: 0, delete: 0 }, modelRows: 20, errored: false, blocked: null },
    warnings: [],
    apply: { sync: 'contacts', runId: 'current', status: 'failed', planned: 1, delivered: 0, failed: 1, apiCalls: 1, rateLimited: 0, message: null },
    pending: { count: 1, oldestFirstSeenAt: null },
    ...extra,
  };
}

describe('the window of runs the failure-rate rule judges', () => {
  it('sums the rows answered and rejected of the current run and the apply runs before it, up to 5 runs', () => {
    const history = [
      run({ id: 'current', status: 'failed', delivered: 0, failed: 1, rejected: 1 }), // counted once, from the report
      run({ delivered: 19, failed: 1, rejected: 1 }),
      run({ kind: 'plan', status: 'succeeded', message: 'warning [KEYS_MERGED] …' }),
      run({ status: 'failed', delivered: 0, failed: 1, rejected: 1 }),
      run({ delivered: 19, failed: 1, rejected: 1 }),
      run({ status: 'running' }),
      run({ status: 'failed', delivered: 0, failed: 1, rejected: 1 }),
      run({ delivered: 99, failed: 1, rejected: 1 }), // a sixth run: outside the window
    ];
    expect(rejectionWindow(current(), history)).toEqual({ runs: 5, attempted: 1 + 20 + 1 + 20 + 1, rejected: 5 });
    expect(rejectionWindow(current(), history, 2)).toEqual({ runs: 2, attempted: 21, rejected: 2 });
    expect(rejectionWindow(current(), [])).toEqual({ runs: 1, attempted: 1, rejected: 1 });
  });

  it('counts only rows the destination answered: rows not sent because a run stopped are not rejections', () => {
    const history = [
      run({ status: 'failed', delivered: 0, failed: 20, rejected: 0, message: 'stopped: auth' }), // answered nothing: no slot taken
      run({ delivered: 10, failed: 15, rejected: 5, message: 'stopped: quota' }),
      run({ delivered: 19, failed: 1, rejected: null }), // recorded before rejections were kept apart
    ];
    expect(rejectionWindow(current(), history)).toEqual({ runs: 2, attempted: 1 + 15, rejected: 1 + 5 });
  });

  it('goes back no further than the last run that delivered everything, and is that run alone when it is the current one', () => {
    const history = [
      run({ delivered: 19, failed: 1, rejected: 1 }),
      run({ status: 'succeeded', delivered: 30 }),
      run({ status: 'failed', delivered: 0, failed: 1, rejected: 1 }),
    ];
    expect(rejectionWindow(current(), history)).toEqual({ runs: 3, attempted: 1 + 20 + 30, rejected: 2 });
    const clean = current({ outcome: 'succeeded', attempted: 1, rejected: 0, apply: { ...current().apply!, status: 'succeeded', delivered: 1, failed: 0 } });
    expect(rejectionWindow(clean, history)).toEqual({ runs: 1, attempted: 1, rejected: 0 });
  });
});
