import { describe, expect, it } from 'vitest';
import { KeyCaseError, LockHeldError, StalePlanError } from '../../src/core/errors.ts';
import type { Row } from '../../src/core/values.ts';
import type { KeyCaseRequest, SnapshotStore } from '../../src/snapshot/store.ts';
import { batchFor, delivered, stageByCheck } from './snapshot-store-contract.ts';

/** A contact whose `email` (the matchOn field) is its key as the model wrote it. */
const contact = (email: string, plan = 'pro'): Row => ({ email, plan });

const HOLDER = 'test-rekey';
const IGNORE_CASE: KeyCaseRequest = { ignoreCase: true, keyInPayload: (json) => (JSON.parse(json) as { email?: string }).email ?? null, lockHolder: HOLDER };
const EXACT: KeyCaseRequest = { ...IGNORE_CASE, ignoreCase: false };

/** SnapshotStore.rekeySnapshot: a snapshot re-keyed when its destination's key matching changes. */
export function describeKeyCaseContract(current: () => SnapshotStore): void {
  describe('re-keying for how the destination compares keys', () => {
    async function commitRows(store: SnapshotStore, sync: string, rows: { key: string; payload: Row; remoteId?: string | null }[]) {
      const state = await store.ensureState(sync);
      await store.commitBatch(batchFor(state, { delivered: rows.map((r) => delivered(r.key, r.payload, r.remoteId === undefined ? `remote-${r.key}` : r.remoteId)) }));
      return (await store.readState(sync))!;
    }

    /** The sync's lock, as the engine holds it around a re-key. */
    async function locked(store: SnapshotStore, sync: string): Promise<void> {
      expect(await store.acquireLock({ sync, holder: HOLDER, ttlMs: 60_000 })).toEqual({ acquired: true });
    }

    it('lower-cases the keys of a snapshot written with exact keys, and makes older plans stale', async () => {
      const store = current();
      const before = await commitRows(store, 's', [
        { key: 'Ada@X.com', payload: contact('Ada@X.com') },
        { key: 'bob@x.com', payload: contact('bob@x.com') },
      ]);
      expect(await store.readKeysIgnoreCase('s')).toBe(false);
      await locked(store, 's');
      const adopted = await store.rekeySnapshot('s', IGNORE_CASE);
      expect(adopted).toMatchObject({ rekeyed: 1, merged: 0, mergedSamples: [] });
      expect(adopted.state.serial).toBe(before.serial + 1);
      expect(await store.readKeysIgnoreCase('s')).toBe(true);
      await expect(store.commitBatch(batchFor(before, {}))).rejects.toThrow(StalePlanError);

      // The model's rows, keyed as the planner keys them now, are all unchanged: row checks were redone.
      const { summary, staged } = await stageByCheck(store, 's', [
        { key: 'ada@x.com', payload: contact('Ada@X.com') },
        { key: 'bob@x.com', payload: contact('bob@x.com') },
      ]);
      expect(summary).toMatchObject({ rows: 2, unchanged: 2, duplicateKeys: 0 });
      expect(staged).toEqual([]);
    });

    it('moves the serial even when no key moves: a plan made under the other comparison is stale', async () => {
      const store = current();
      const before = await commitRows(store, 's', [{ key: 'bob@x.com', payload: contact('bob@x.com') }]);
      await locked(store, 's');
      expect(await store.rekeySnapshot('s', IGNORE_CASE)).toMatchObject({ rekeyed: 0, state: { serial: before.serial + 1 } });
      await expect(store.commitBatch(batchFor(before, { delivered: [delivered('Bob@x.com', contact('Bob@x.com'))] }))).rejects.toThrow(StalePlanError);
    });

    it('re-keys past many pages, and a second pass finds nothing left to move', async () => {
      const store = current();
      const rows = Array.from({ length: 12_001 }, (_, i) => ({ key: `User${i}@X.com`, payload: contact(`User${i}@X.com`) }));
      await commitRows(store, 's', rows);
      await locked(store, 's');
      expect((await store.rekeySnapshot('s', IGNORE_CASE)).rekeyed).toBe(12_001);
      expect((await store.rekeySnapshot('s', IGNORE_CASE)).rekeyed).toBe(0);
      const { summary } = await stageByCheck(store, 's', rows.map((r) => ({ key: r.key.toLowerCase(), payload: r.payload })));
      expect(summary.unchanged).toBe(12_001);
      expect(await store.countRows('s')).toBe(12_001);
    });

    it('merges keys held twice in different case: the row delivered last, with the remote id either knew', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'ada@x.com', payload: contact('ada@x.com', 'free'), remoteId: 'R1' }]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await commitRows(store, 's', [
        { key: 'ADA@x.com', payload: contact('ADA@x.com', 'team'), remoteId: null },
        { key: 'Bob@x.com', payload: contact('Bob@x.com') },
      ]);
      await locked(store, 's');
      const adopted = await store.rekeySnapshot('s', IGNORE_CASE);
      expect(adopted).toMatchObject({ rekeyed: 2, merged: 1, mergedSamples: ['ADA@x.com / ada@x.com'] });
      expect(await store.countRows('s')).toBe(2);
      const { summary, staged } = await stageByCheck(store, 's', [
        { key: 'ada@x.com', payload: contact('ADA@x.com', 'team') },
        { key: 'bob@x.com', payload: contact('Bob@x.com') },
      ]);
      expect(summary.unchanged).toBe(2);
      expect(staged).toEqual([]);
      // Once the model drops it, the merged record's delete goes to R1, the id only the dropped row knew.
      await stageByCheck(store, 's', [{ key: 'bob@x.com', payload: contact('Bob@x.com') }]);
      const deletes = [];
      for await (const batch of store.diff('s', { includeDeletes: true, batchSize: 10 })) deletes.push(...batch);
      expect(deletes).toMatchObject([{ key: 'ada@x.com', action: 'delete', remoteId: 'R1' }]);
    });

    it('refuses keys that differ only in case but were delivered to different records, and changes nothing it should not', async () => {
      const store = current();
      await commitRows(store, 's', [
        { key: 'Ada@x.com', payload: contact('Ada@x.com'), remoteId: 'R1' },
        { key: 'ada@x.com', payload: contact('ada@x.com'), remoteId: 'R2' },
      ]);
      await locked(store, 's');
      const refused = store.rekeySnapshot('s', IGNORE_CASE);
      await expect(refused).rejects.toThrow(KeyCaseError);
      await expect(refused).rejects.toThrow(
        /1 pair\(s\) of keys that differ only in case were delivered to different records, e\.g\. ada@x\.com \(id R2\) and Ada@x\.com \(id R1\).*Set destination\.matchIgnoresCase: false/,
      );
      expect(await store.readKeysIgnoreCase('s')).toBe(false);
      expect(await store.countRows('s')).toBe(2);
    });

    it('gives back the keys as the model wrote them when the destination matches exactly again', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      await locked(store, 's');
      await store.rekeySnapshot('s', IGNORE_CASE);
      expect(await store.rekeySnapshot('s', EXACT)).toMatchObject({ rekeyed: 1, merged: 0 });
      expect(await store.readKeysIgnoreCase('s')).toBe(false);
      const { summary } = await stageByCheck(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      expect(summary.unchanged).toBe(1);
    });

    it('refuses to guess a key its payload does not give back, rather than keep it lower-cased', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'Ada@X.com', payload: { customer_key: 'Ada@X.com', plan: 'pro' } }]);
      await locked(store, 's');
      await store.rekeySnapshot('s', IGNORE_CASE);
      // Now matched on a field the old payloads lack: `email` is not there to say how the key was written.
      await expect(store.rekeySnapshot('s', EXACT)).rejects.toThrow(/1 key\(s\) cannot be given back as the model wrote them, e\.g\. ada@x\.com.*Run `ebb reset`/);
      expect(await store.readKeysIgnoreCase('s')).toBe(true);
    });

    it('lower-cases pending changes and row errors too, keeping first sightings and attempts', async () => {
      const store = current();
      const state = await commitRows(store, 's', [{ key: 'carl@x.com', payload: contact('carl@x.com') }]);
      await store.trackPending('s', ['Ada@x.com', 'ada@x.com', 'Bob@x.com'], '2025-01-01T00:00:00.000Z');
      await store.trackPending('s', ['Ada@x.com', 'ada@x.com', 'Bob@x.com', 'Dan@x.com'], '2025-01-02T00:00:00.000Z');
      const failed = (key: string) => ({ key, action: 'create' as const, error: { code: 'BAD', message: `bad ${key}` } });
      let serial = await store.commitBatch(batchFor(state, { failed: [failed('Ada@x.com')] }));
      serial = await store.commitBatch(batchFor({ ...state, serial }, { failed: [failed('Ada@x.com')] }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.commitBatch(batchFor({ ...state, serial }, { failed: [failed('ADA@x.com')] }));
      await locked(store, 's');
      await store.rekeySnapshot('s', IGNORE_CASE);
      expect(await store.pendingSummary('s')).toEqual({ count: 3, oldestFirstSeenAt: '2025-01-01T00:00:00.000Z' });
      const errors = await store.listRowErrors({ sync: 's', limit: 10 });
      expect(errors.map((e) => [e.key, e.attempts, e.message])).toEqual([['ada@x.com', 3, 'bad ADA@x.com']]);
    });

    it('refuses a key with capitals once keys are lower-cased: an older Ebb writing exact keys stops before its deletes', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'ada@x.com', payload: contact('ada@x.com') }]);
      await locked(store, 's');
      const { state } = await store.rekeySnapshot('s', IGNORE_CASE);
      await store.releaseLock('s', HOLDER);
      await expect(store.commitBatch(batchFor(state, { delivered: [delivered('Ada@x.com', contact('Ada@x.com'))] }))).rejects.toThrow(
        /a key with capitals was written: an Ebb older than this snapshot is running against it/,
      );
      // What this Ebb writes is lower-cased, and passes.
      await expect(store.commitBatch(batchFor(state, { delivered: [delivered('ada@x.com', contact('Ada@x.com'))] }))).resolves.toBe(state.serial + 1);
    });

    it('works only under the lock its caller holds', async () => {
      const store = current();
      await commitRows(store, 's', [{ key: 'Ada@X.com', payload: contact('Ada@X.com') }]);
      await store.acquireLock({ sync: 's', holder: 'apply-1', ttlMs: 60_000 });
      await expect(store.rekeySnapshot('s', IGNORE_CASE)).rejects.toThrow(LockHeldError);
      expect(await store.readKeysIgnoreCase('s')).toBe(false);
    });
  });
}
