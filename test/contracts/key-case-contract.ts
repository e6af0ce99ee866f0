import { describe, expect, it } from 'vitest';
import { LockHeldError, StalePlanError } from '../../src/core/errors.ts';
import type { Row } from '../../src/core/values.ts';
import type { KeyCaseRequest, SnapshotStore } from '../../src/snapshot/store.ts';
import { batchFor, delivered, stageByCheck } from './snapshot-store-contract.ts';

/** A contact whose `email` (the matchOn field) is its key as the model wrote it. */
const contact = (email: string, plan = 'pro'): Row => ({ email, plan });

const IGNORE_CASE: KeyCaseRequest = { ignoreCase: true, keyInPayload: (json) => (JSON.parse(json) as { email?: string }).email ?? null };
const EXACT: KeyCaseRequest = { ...IGNORE_CASE, ignoreCase: false };

/** SnapshotStore.adoptKeyCase: a snapshot re-keyed when its destination's key matching changes. */
export function describeKeyCaseContract(current: () => SnapshotStore): void {
  describe('adopting how the destination compares keys', () => {
    async function commitRows(store: SnapshotStore, sync: string, rows: { key: string; payload: Row }[]) {
      const state = (await store.ensureState(sync))!;
      await store.commitBatch(batchFor(state, { delivered: rows.map((r) => delivered(r.key, r.payload)) }));
      return (await store.readState(sync))!;
    }

    it('lower-cases the keys of a snapshot written with exact keys, once, and makes older plans stale', async () => {
      const store = current();
      const before = await commitRows(store, 's', [
        { key: 'Ada@X.com', payload: contact('Ada@X.com') },
        { key: 'bob@x.com', payload: contact('bob@x.com') },
      ]);
      const adopted = await store.adoptKeyCase('s', IGNORE_CASE);
      expect(adopted).toMatchObject({ rekeyed: 1, merged: 0, mergedSamples: [] });
      expect(adopted.state.serial).toBe(before.serial + 1);
      await expect(store.commitBatch(batchFor(before, {}))).rejects.toThrow(StalePlanError);

      // The model's rows, keyed as the planner keys them now, are all unchanged: row checks were redone.
      const { summary, staged } = await stageByCheck(store, 's', [
        { key: 'ada@x.com', payload: contact('Ada@X.com') },
        { key: 'bob@x.com', payload: contact('bob@x.com') },
      ]);
      expect(summary).toMatchObject({ rows: 2, unchanged: 2, duplicateKeys: 0 });
      expect(staged).toEqual([]);

      // Asked again: nothing to do, and the serial stays.
      expect(await store.adoptKeyCase('s', IGNORE_CASE)).toEqual({ state: adopted.state, rekeyed: 0, merged: 0, mergedSamples: [] });
    });

    it('keeps the row delivered last of keys held twice in different case, and says which', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'ada@x.com', payload: contact('ada@x.com', 'free') }]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await commitRows(store, 's', [
        { key: 'ADA@x.com', payload: contact('ADA@x.com', 'team') },
        { key: 'Bob@x.com', payload: contact('Bob@x.com') },
      ]);
      const adopted = await store.adoptKeyCase('s', IGNORE_CASE);
      expect(adopted).toMatchObject({ rekeyed: 2, merged: 1, mergedSamples: ['ada@x.com / ADA@x.com'] });
      expect(await store.countRows('s')).toBe(2);
      const { summary, staged } = await stageByCheck(store, 's', [
        { key: 'ada@x.com', payload: contact('ADA@x.com', 'team') },
        { key: 'bob@x.com', payload: contact('Bob@x.com') },
      ]);
      expect(summary.unchanged).toBe(2);
      expect(staged).toEqual([]);
    });

    it('gives back the keys as the model wrote them when the destination matches exactly again', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      await store.adoptKeyCase('s', IGNORE_CASE);
      const adopted = await store.adoptKeyCase('s', EXACT);
      expect(adopted).toMatchObject({ rekeyed: 1, merged: 0 });
      const { summary } = await stageByCheck(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      expect(summary.unchanged).toBe(1);
    });

    it('creates the state of a new sync, with nothing to re-key and the serial left at 0', async () => {
      const adopted = await current().adoptKeyCase('new', IGNORE_CASE);
      expect(adopted).toMatchObject({ state: { sync: 'new', serial: 0 }, rekeyed: 0, merged: 0 });
    });

    it('refuses to re-key under an apply that holds the sync, and re-keys once it is gone', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      await store.acquireLock({ sync: 's', holder: 'apply-1', ttlMs: 60_000 });
      const refused = store.adoptKeyCase('s', IGNORE_CASE);
      await expect(refused).rejects.toThrow(LockHeldError);
      await expect(refused).rejects.toThrow(/an apply holds the sync \(apply-1, until .*\)\. Plan again when it has finished/);
      await store.releaseLock('s', 'apply-1');
      expect((await store.adoptKeyCase('s', IGNORE_CASE)).rekeyed).toBe(1);
    });
  });
}
