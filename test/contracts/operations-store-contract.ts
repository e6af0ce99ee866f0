import { describe, expect, it } from 'vitest';
import type { AlertState, SnapshotStore, SyncState } from '../../src/snapshot/store.ts';

type Commit = (state: SyncState, parts: { delivered?: string[]; failed?: string[] }) => Promise<number>;

/**
 * What the scheduler, SLAs and alerts rely on from a SnapshotStore (OperationsStore): pending changes
 * with first-seen times, cycle health, alert states as compare-and-set, heartbeats, and pruning.
 */
export function describeOperationsContract(current: () => SnapshotStore, commit: Commit): void {
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();

  describe('pending changes (delivery lag)', () => {
    it('keeps first-seen times while keys stay pending, forgets keys that left the plan or were delivered', async () => {
      const store = current();
      const state = await store.ensureState('s');
      expect(await store.pendingSummary('s')).toEqual({ count: 0, oldestFirstSeenAt: null });
      expect(await store.trackPending('s', ['a', 'b'], at(0))).toEqual({ count: 2, oldestFirstSeenAt: at(0) });
      // 'a' still pending, 'b' left the plan, 'c' is new: the oldest stays a's first sighting.
      expect(await store.trackPending('s', ['a', 'c'], at(5))).toEqual({ count: 2, oldestFirstSeenAt: at(0) });
      await commit(state, { delivered: ['a'] });
      expect(await store.pendingSummary('s')).toEqual({ count: 1, oldestFirstSeenAt: at(5) });
      // A rejected row stays pending: it is not in the destination.
      await commit((await store.readState('s'))!, { failed: ['c'] });
      expect(await store.pendingSummary('s')).toEqual({ count: 1, oldestFirstSeenAt: at(5) });
      expect(await store.trackPending('s', [], at(9))).toEqual({ count: 0, oldestFirstSeenAt: null });
    });

    it('takes the keys as a stream, however many (a first sync plans every row)', async () => {
      const store = current();
      await store.ensureState('s');
      async function* keys(from: number, to: number) {
        for (let i = from; i < to; i += 1) yield `k${i}`;
      }
      expect(await store.trackPending('s', keys(0, 25_000), at(0))).toEqual({ count: 25_000, oldestFirstSeenAt: at(0) });
      // Half of them still pending, the rest new: the first sightings of the half are kept.
      expect(await store.trackPending('s', keys(12_500, 30_000), at(3))).toEqual({ count: 17_500, oldestFirstSeenAt: at(0) });
      expect(await store.trackPending('s', keys(25_000, 30_000), at(4))).toEqual({ count: 5_000, oldestFirstSeenAt: at(3) });
    });

    it('is per sync and cleared by reset', async () => {
      const store = current();
      await store.ensureState('s');
      await store.ensureState('t');
      await store.trackPending('s', ['a'], at(0));
      await store.trackPending('t', ['a', 'b'], at(1));
      expect((await store.pendingSummary('s')).count).toBe(1);
      await store.reset('t');
      expect((await store.pendingSummary('t')).count).toBe(0);
      expect((await store.pendingSummary('s')).count).toBe(1);
    });
  });

  describe('cycle health', () => {
    it('tracks the last start, finish, outcome, last success and consecutive failures', async () => {
      const store = current();
      expect(await store.readHealth('s')).toBeNull();
      await store.recordCycleStarted('s', at(0));
      await store.recordCycleFinished({ sync: 's', at: at(1), outcome: 'succeeded', message: null, succeeded: true });
      await store.recordCycleStarted('s', at(10));
      await store.recordCycleFinished({ sync: 's', at: at(11), outcome: 'failed', message: 'down', succeeded: false });
      await store.recordCycleFinished({ sync: 's', at: at(21), outcome: 'blocked', message: 'guard', succeeded: false });
      expect(await store.readHealth('s')).toEqual({
        sync: 's', trackedSince: at(0), lastStartedAt: at(10), lastFinishedAt: at(21), lastOutcome: 'blocked',
        lastMessage: 'guard', lastSuccessAt: at(1), consecutiveFailures: 2,
      });
      await store.recordCycleFinished({ sync: 's', at: at(31), outcome: 'partial', message: null, succeeded: true });
      expect(await store.readHealth('s')).toMatchObject({ lastSuccessAt: at(31), consecutiveFailures: 0 });
    });
  });

  describe('alert states', () => {
    const firing = (transitionId: string): AlertState => ({
      sync: 's', rule: 'apply-failed', severity: 'critical', previousSeverity: 'ok', message: 'down',
      changedAt: at(0), transitionId, undelivered: ['slack', 'webhook'],
    });

    it('changes state only from the expected transition (compare-and-set), once across writers', async () => {
      const store = current();
      expect(await store.changeAlertState(firing('t1'), null)).toBe(true);
      expect(await store.changeAlertState(firing('t2'), null)).toBe(false);
      const resolved = { ...firing('t3'), severity: 'ok' as const, previousSeverity: 'critical' as const, message: 'recovered' };
      expect(await store.changeAlertState(resolved, 'wrong')).toBe(false);
      expect(await store.changeAlertState(resolved, 't1')).toBe(true);
      expect(await store.listAlertStates()).toEqual([resolved]);
    });

    it('removes delivered channels from the outbox of the current transition only', async () => {
      const store = current();
      await store.changeAlertState(firing('t1'), null);
      await store.markAlertDelivered('s', 'apply-failed', 't1', 'slack');
      await store.markAlertDelivered('s', 'apply-failed', 'older', 'webhook');
      expect((await store.listAlertStates())[0]!.undelivered).toEqual(['webhook']);
    });
  });

  describe('heartbeats and pruning', () => {
    it('records one heartbeat per scheduler process, newest tick first', async () => {
      const store = current();
      await store.beat({ holder: 'h/1', startedAt: at(0), lastTickAt: at(1), tickMs: 5000 });
      await store.beat({ holder: 'h/2', startedAt: at(0), lastTickAt: at(2), tickMs: 5000 });
      await store.beat({ holder: 'h/1', startedAt: at(0), lastTickAt: at(3), tickMs: 5000 });
      expect((await store.listHeartbeats()).map((h) => [h.holder, h.lastTickAt])).toEqual([['h/1', at(3)], ['h/2', at(2)]]);
    });

    it('prunes old history but keeps the latest runs, errors of keys still pending, and the snapshot', async () => {
      const store = current();
      const state = await store.ensureState('s');
      for (const [id, minute, status] of [['r1', 0, 'succeeded'], ['r2', 1, 'failed'], ['r3', 2, 'failed'], ['r4', 50, 'succeeded']] as const) {
        await store.startRun({ id, sync: 's', kind: 'apply', startedAt: at(minute), planned: 1 });
        await store.finishRun({ id, finishedAt: at(minute), status, planned: 1, delivered: 0, failed: 0, rejected: 0, apiCalls: 1, rateLimited: 0, message: null });
      }
      await store.startRun({ id: 'only', sync: 'lonely', kind: 'apply', startedAt: at(0), planned: 1 });
      const serial = await commit(state, { delivered: ['kept'], failed: ['still-failing', 'gone-from-model'] });
      await store.trackPending('s', ['still-failing'], at(0));
      await store.beat({ holder: 'old', startedAt: at(0), lastTickAt: at(0), tickMs: 5000 });
      // Row errors are stamped with the wall clock, so the cutoff lies in the future to cover them.
      const pruned = await store.prune({ before: '2999-01-01T00:00:00.000Z' });
      expect(pruned).toEqual({ runs: 3, rowErrors: 1, alertStates: 0, heartbeats: 1 });
      expect((await store.listRuns({ sync: 's', limit: 10 })).map((r) => r.id)).toEqual(['r4']);
      expect((await store.listRuns({ sync: 'lonely', limit: 10 })).map((r) => r.id)).toEqual(['only']);
      expect((await store.listRowErrors({ sync: 's', limit: 10 })).map((e) => e.key)).toEqual(['still-failing']);
      expect(await store.countRows('s')).toBe(1);
      expect((await store.readState('s'))!.serial).toBe(serial);
    });

    it('keeps the latest successful run even when newer runs failed', async () => {
      const store = current();
      for (const [id, minute, status] of [['ok', 0, 'succeeded'], ['bad1', 1, 'failed'], ['bad2', 2, 'failed']] as const) {
        await store.startRun({ id, sync: 's', kind: 'apply', startedAt: at(minute), planned: 1 });
        await store.finishRun({ id, finishedAt: at(minute), status, planned: 1, delivered: 0, failed: 1, rejected: 1, apiCalls: 1, rateLimited: 0, message: null });
      }
      await store.prune({ before: at(30) });
      expect((await store.listRuns({ sync: 's', limit: 10 })).map((r) => r.id)).toEqual(['bad2', 'ok']);
    });
  });
}
