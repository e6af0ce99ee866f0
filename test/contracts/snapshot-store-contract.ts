import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/change.ts';
import { EbbError, StalePlanError } from '../../src/core/errors.ts';
import { canonicalJson, fingerprint } from '../../src/core/fingerprint.ts';
import { rowCheck } from '../../src/core/row-check.ts';
import type { Row } from '../../src/core/values.ts';
import type { CommitBatch, SnapshotStore, StagedRow, SyncState } from '../../src/snapshot/store.ts';
import { describeKeyCaseContract } from './key-case-contract.ts';
import { describeOperationsContract } from './operations-store-contract.ts';

export interface OpenedStore {
  store: SnapshotStore;
  cleanup(): Promise<void>;
}

/** A model row staged the way the planner stages it: canonical JSON and its fingerprint. */
export function staged(key: string | null, payload: Row): StagedRow {
  const payloadJson = canonicalJson(payload);
  return { key, fingerprint: fingerprint(payload), payloadJson };
}

export function delivered(key: string, payload: Row, remoteId: string | null = `remote-${key}`) {
  return { key, fingerprint: fingerprint(payload), payload, remoteId };
}

export function batchFor(state: SyncState, parts: Partial<CommitBatch>): CommitBatch {
  return {
    sync: state.sync,
    runId: 'run-1',
    lineage: state.lineage,
    expectedSerial: state.serial,
    definitionHash: 'def-1',
    delivered: [],
    deleted: [],
    failed: [],
    ...parts,
  };
}

export async function stageAll(store: SnapshotStore, sync: string, rows: StagedRow[]) {
  const stager = await store.beginStaging(sync);
  stager.add(rows);
  return stager.finish();
}

export interface ModelRow {
  key: string | null;
  payload: Row;
}

/**
 * Stages model rows the way the planner does: rows settled as unchanged by their row check first,
 * the rest added with payload and fingerprint. Returns the summary and the keys that were staged.
 */
export async function stageByCheck(store: SnapshotStore, sync: string, rows: ModelRow[]) {
  const stager = await store.beginStaging(sync);
  const keys = rows.map((r) => r.key);
  const checks = rows.map((r) => (r.key === null ? 0 : rowCheck(r.key, canonicalJson(r.payload))));
  const rest = stager.skipUnchanged(keys, checks);
  stager.add(rest.map((i) => staged(rows[i]!.key, rows[i]!.payload)));
  return { summary: stager.finish(), staged: rest.map((i) => rows[i]!.key) };
}

/** What the staged rows would change, counted from the diff itself (deletes included). */
export async function countChanges(store: SnapshotStore, sync: string): Promise<Record<Change['action'], number>> {
  const counts = { create: 0, update: 0, delete: 0 };
  for await (const batch of store.diff(sync, { includeDeletes: true, batchSize: 1000 })) for (const change of batch) counts[change.action] += 1;
  return counts;
}

export async function collect(batches: AsyncIterable<Change[]>): Promise<Change[][]> {
  const all: Change[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

const keyOf = (i: number) => `k${String(i).padStart(3, '0')}`;
const person = (i: number, plan = 'pro'): Row => ({ email: `user${i}@example.com`, plan, seats: i });

/** Every behaviour the SnapshotStore interface promises, run against one implementation. */
export function describeSnapshotStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: SnapshotStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    /** Snapshot of `sync` holding persons 0..count-1, committed as one acknowledged batch. */
    async function seed(sync: string, count: number): Promise<SyncState> {
      const state = await store.ensureState(sync);
      const rows = Array.from({ length: count }, (_, i) => delivered(keyOf(i), person(i)));
      await store.commitBatch(batchFor(state, { delivered: rows }));
      return (await store.readState(sync))!;
    }

    describe('state', () => {
      it('has no state for an unknown sync, and ensureState creates one with a fresh lineage', async () => {
        expect(await store.readState('contacts')).toBeNull();
        const state = await store.ensureState('contacts');
        expect(state).toEqual({ sync: 'contacts', lineage: expect.any(String), serial: 0, definitionHash: null });
        expect(state.lineage.length).toBeGreaterThan(8);
        expect(await store.ensureState('contacts')).toEqual(state);
        expect(await store.readState('contacts')).toEqual(state);
        expect((await store.ensureState('accounts')).lineage).not.toBe(state.lineage);
      });
    });

    describe('staging', () => {
      it('counts staged rows and null keys, and stages no null key', async () => {
        const summary = await stageAll(store, 's', [staged('a', person(1)), staged(null, person(2)), staged('b', person(3)), staged(null, person(4))]);
        expect(summary).toEqual({ rows: 2, unchanged: 0, nullKeys: 2, duplicateKeys: 0, duplicateSamples: [] });
        expect(await countChanges(store, 's')).toEqual({ create: 2, update: 0, delete: 0 });
      });

      it('reports duplicate keys with at most 10 samples and their occurrences', async () => {
        const rows = [staged('x', person(1)), staged('x', person(2)), staged('x', person(3)), staged('y', person(4)), staged('y', person(5))];
        for (let i = 0; i < 12; i += 1) rows.push(staged(`d${i}`, person(i)), staged(`d${i}`, person(i)));
        rows.push(staged('unique', person(99)));
        const summary = await stageAll(store, 's', rows);
        expect(summary.rows).toBe(rows.length);
        expect(summary.duplicateKeys).toBe(14);
        expect(summary.duplicateSamples).toHaveLength(10);
        expect(summary.duplicateSamples).toContainEqual({ key: 'x', occurrences: 3 });
        for (const sample of summary.duplicateSamples) {
          expect(sample.occurrences).toBe(rows.filter((r) => r.key === sample.key).length);
        }
      });

      it('accepts rows over several add() calls, and refuses adds after finish()', async () => {
        const stager = await store.beginStaging('s');
        stager.add([staged('a', person(1))]);
        stager.add([]);
        stager.add([staged('b', person(2)), staged('c', person(3))]);
        expect(stager.finish().rows).toBe(3);
        expect(() => stager.add([staged('d', person(4))])).toThrow(/beginStaging/);
      });

      it('replaces an earlier staging of the same sync, and the old stager can no longer add', async () => {
        const first = await store.beginStaging('s');
        first.add([staged('old', person(1))]);
        const second = await store.beginStaging('s');
        second.add([staged('new', person(2))]);
        second.finish();
        expect(() => first.add([staged('late', person(3))])).toThrow(EbbError);
        const [batch] = await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }));
        expect(batch!.map((c) => c.key)).toEqual(['new']);
      });

      it('keeps the stagings of different syncs apart', async () => {
        await stageAll(store, 'a', [staged('1', person(1))]);
        await stageAll(store, 'b', [staged('2', person(2)), staged('3', person(3))]);
        expect(await countChanges(store, 'a')).toEqual({ create: 1, update: 0, delete: 0 });
        expect(await countChanges(store, 'b')).toEqual({ create: 2, update: 0, delete: 0 });
      });

      it('refuses to diff without a finished staging, or after dropStaging', async () => {
        await expect(countChanges(store, 's')).rejects.toThrow(/beginStaging/);
        const stager = await store.beginStaging('s');
        stager.add([staged('a', person(1))]);
        await expect(collect(store.diff('s', { includeDeletes: false, batchSize: 10 }))).rejects.toThrow(/finish/);
        stager.finish();
        await store.dropStaging('s');
        await expect(countChanges(store, 's')).rejects.toThrow(/beginStaging/);
        await store.dropStaging('s');
      });

      it('refuses to diff a staging with duplicate keys', async () => {
        await stageAll(store, 's', [staged('a', person(1)), staged('a', person(2))]);
        await expect(countChanges(store, 's')).rejects.toThrow(/duplicate/);
        await expect(collect(store.diff('s', { includeDeletes: false, batchSize: 10 }))).rejects.toThrow(/duplicate/);
      });
    });

    describe('settling unchanged rows by row check', () => {
      const row = (i: number, plan = 'pro'): ModelRow => ({ key: keyOf(i), payload: person(i, plan) });

      it('writes only new and changed rows, and diffs them, and the vanished ones, exactly', async () => {
        await seed('s', 5); // keys 0..4
        const model = [row(1), row(0), { key: null, payload: person(9) }, row(2, 'changed'), row(7)];
        const { summary, staged: stagedKeys } = await stageByCheck(store, 's', model);
        expect(summary).toEqual({ rows: 4, unchanged: 2, nullKeys: 1, duplicateKeys: 0, duplicateSamples: [] });
        expect(stagedKeys).toEqual([keyOf(2), keyOf(7)]);
        const changes = (await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }))).flat();
        expect(changes.map((c) => [c.action, c.key])).toEqual([
          ['update', keyOf(2)],
          ['create', keyOf(7)],
          ['delete', keyOf(3)],
          ['delete', keyOf(4)],
        ]);
        expect(changes[0]).toMatchObject({ before: person(2), after: person(2, 'changed'), changedFields: ['plan'] });
      });

      it('says how many rows the snapshot holds; settles nothing against an empty snapshot, nor what has a wrong check', async () => {
        expect((await stageByCheck(store, 's', [row(0), row(1)])).summary.unchanged).toBe(0);
        await seed('t', 3);
        expect((await store.beginStaging('s')).snapshotRows).toBe(0);
        const stager = await store.beginStaging('t');
        expect(stager.snapshotRows).toBe(3);
        const rest = stager.skipUnchanged([keyOf(0), keyOf(1), keyOf(2)], [0, 1.5, rowCheck(keyOf(1), canonicalJson(person(1, 'other')))]);
        expect(rest).toEqual([0, 1, 2]);
        stager.add(rest.map((i) => staged(keyOf(i), person(i))));
        expect(stager.finish()).toMatchObject({ rows: 3, unchanged: 0 });
        expect(await countChanges(store, 't')).toEqual({ create: 0, update: 0, delete: 0 });
      });

      it('counts a repeated key as a duplicate, whether its copies were settled or staged', async () => {
        await seed('s', 6);
        const model = [
          row(0), row(0), // settled twice
          row(1), row(1), row(1), // settled three times
          row(2), row(2, 'changed'), // settled, then staged
          row(3, 'changed'), row(3), // staged, then settled
          row(4), row(4), row(4, 'changed'), // settled twice and staged
          row(5), // once
          row(8), row(8), // new, staged twice
        ];
        const { summary } = await stageByCheck(store, 's', model);
        expect(summary.rows).toBe(model.length);
        expect(summary.duplicateKeys).toBe(6);
        expect(summary.duplicateSamples).toEqual([
          { key: keyOf(1), occurrences: 3 },
          { key: keyOf(4), occurrences: 3 },
          { key: keyOf(0), occurrences: 2 },
          { key: keyOf(2), occurrences: 2 },
          { key: keyOf(3), occurrences: 2 },
          { key: keyOf(8), occurrences: 2 },
        ]);
        await expect(countChanges(store, 's')).rejects.toThrow(/duplicate/);
      });

      it('proposes every delete when the model returns nothing, and none when it returns everything', async () => {
        await seed('s', 4);
        await stageByCheck(store, 's', []);
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 4 });
        const { summary } = await stageByCheck(store, 's', [row(3), row(2), row(1), row(0)]);
        expect(summary.unchanged).toBe(4);
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 0 });
      });

      it('starts every staging with no snapshot row matched, whatever an earlier one settled', async () => {
        await seed('s', 2);
        await stageByCheck(store, 's', [row(0), row(1)]);
        // A new staging starts from nothing matched: the earlier one settled both rows, this one neither.
        const { summary } = await stageByCheck(store, 's', [row(0)]);
        expect(summary.unchanged).toBe(1);
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 1 });
      });
    });

    describe('diff', () => {
      it('proposes every staged row as a create against an empty snapshot', async () => {
        await stageAll(store, 's', [staged('b', { name: 'Bo', age: 3 }), staged('a', { zip: '01', name: 'Al' })]);
        const batches = await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }));
        expect(batches).toEqual([
          [
            { action: 'create', key: 'a', after: { zip: '01', name: 'Al' }, before: null, changedFields: ['name', 'zip'], fingerprint: fingerprint({ name: 'Al', zip: '01' }), remoteId: null },
            { action: 'create', key: 'b', after: { name: 'Bo', age: 3 }, before: null, changedFields: ['age', 'name'], fingerprint: fingerprint({ name: 'Bo', age: 3 }), remoteId: null },
          ],
        ]);
      });

      it('proposes updates with before, changed fields and remote id; nothing for unchanged rows', async () => {
        await seed('s', 3);
        const changed = { ...person(1), plan: 'enterprise', extra: null, seats: 1 };
        await stageAll(store, 's', [staged(keyOf(0), person(0)), staged(keyOf(1), changed), staged(keyOf(2), person(2))]);
        const batches = await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }));
        expect(batches).toEqual([
          [{ action: 'update', key: keyOf(1), after: changed, before: person(1), changedFields: ['plan'], fingerprint: fingerprint(changed), remoteId: `remote-${keyOf(1)}` }],
        ]);
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 1, delete: 0 });
      });

      it('proposes deletes (stored payload as before) only when asked', async () => {
        await seed('s', 3);
        await stageAll(store, 's', [staged(keyOf(0), person(0))]);
        expect(await collect(store.diff('s', { includeDeletes: false, batchSize: 10 }))).toEqual([]);
        const [batch] = await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }));
        expect(batch).toEqual([1, 2].map((i) => ({ action: 'delete', key: keyOf(i), after: null, before: person(i), changedFields: [], fingerprint: null, remoteId: `remote-${keyOf(i)}` })));
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 2 });
      });

      it('yields full batches in key order (creates and updates, then deletes), only the last one short', async () => {
        await seed('s', 20); // keys 0..19 in the snapshot
        const rows: StagedRow[] = [];
        for (let i = 5; i < 30; i += 1) rows.push(staged(keyOf(i), i % 2 === 0 ? person(i, 'changed') : person(i)));
        await stageAll(store, 's', rows.reverse());
        const batches = await collect(store.diff('s', { includeDeletes: true, batchSize: 4 }));
        const changes = batches.flat();
        expect(batches.slice(0, -1).every((b) => b.length === 4)).toBe(true);
        expect(batches.at(-1)!.length).toBeGreaterThan(0);
        const counts = await countChanges(store, 's');
        expect(counts).toEqual({ create: 10, update: 7, delete: 5 });
        expect(changes).toHaveLength(counts.create + counts.update + counts.delete);
        const upserts = changes.filter((c) => c.action !== 'delete').map((c) => c.key);
        expect(upserts).toEqual([...upserts].sort());
        expect(changes.filter((c) => c.action === 'delete').map((c) => c.key)).toEqual([0, 1, 2, 3, 4].map(keyOf));
        expect(changes.findIndex((c) => c.action === 'delete')).toBe(counts.create + counts.update);
      });

      it('handles the empty string as a key and keys that sort next to it', async () => {
        await stageAll(store, 's', [staged('', person(1)), staged(' ', person(2)), staged('a', person(3))]);
        const changes = (await collect(store.diff('s', { includeDeletes: true, batchSize: 1 }))).flat();
        expect(changes.map((c) => c.key)).toEqual(['', ' ', 'a']);
      });

      it('keeps streaming while the consumer commits each batch between yields', async () => {
        const state = await seed('s', 10);
        const rows = Array.from({ length: 25 }, (_, i) => staged(keyOf(i), person(i, 'next')));
        await stageAll(store, 's', rows);
        let serial = state.serial;
        const seen: string[] = [];
        for await (const batch of store.diff('s', { includeDeletes: true, batchSize: 3 })) {
          seen.push(...batch.map((c) => c.key));
          const acknowledged = batch.map((c) => delivered(c.key, c.after!));
          serial = await store.commitBatch(batchFor({ ...state, serial }, { delivered: acknowledged }));
          expect(await store.countRows('s')).toBeGreaterThan(0);
        }
        expect(seen).toEqual(rows.map((r) => r.key));
        expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 0 });
      });

      it('rejects a batch size that is not a positive integer', async () => {
        await stageAll(store, 's', [staged('a', person(1))]);
        await expect(collect(store.diff('s', { includeDeletes: false, batchSize: 0 }))).rejects.toThrow(/batchSize/);
      });
    });

    describe('commitBatch', () => {
      it('stores acknowledged rows, bumps the serial and records the definition applied', async () => {
        const state = await store.ensureState('s');
        const serial = await store.commitBatch(batchFor(state, { delivered: [delivered('a', person(1)), delivered('b', person(2))], definitionHash: 'def-9' }));
        expect(serial).toBe(state.serial + 1);
        expect(await store.readState('s')).toEqual({ ...state, serial, definitionHash: 'def-9' });
        expect(await store.countRows('s')).toBe(2);
        const next = await store.commitBatch(batchFor({ ...state, serial }, {}));
        expect(next).toBe(serial + 1);
      });

      it('removes acknowledged deletes', async () => {
        const state = await seed('s', 3);
        await store.commitBatch(batchFor(state, { deleted: [keyOf(0), keyOf(2)] }));
        expect(await store.countRows('s')).toBe(1);
        await stageAll(store, 's', []);
        const changes = (await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }))).flat();
        expect(changes.map((c) => c.key)).toEqual([keyOf(1)]);
      });

      it('refuses a batch whose serial or lineage moved (StalePlanError), changing nothing', async () => {
        const state = await seed('s', 2);
        const stale = batchFor({ ...state, serial: state.serial - 1 }, { delivered: [delivered('z', person(9))] });
        await expect(store.commitBatch(stale)).rejects.toThrow(StalePlanError);
        await expect(store.commitBatch(stale)).rejects.toThrow(/ebb plan/);
        await expect(store.commitBatch(batchFor({ ...state, lineage: 'another' }, {}))).rejects.toThrow(StalePlanError);
        await expect(store.commitBatch(batchFor({ ...state, sync: 'never-planned' }, {}))).rejects.toThrow(StalePlanError);
        expect(await store.readState('s')).toEqual(state);
        expect(await store.countRows('s')).toBe(2);
      });

      it('records failed rows, counts attempts per key, and clears them once delivered or deleted', async () => {
        let state = await seed('s', 2);
        const fail = (key: string, code: string) => ({ key, action: 'update' as const, error: { code, message: `${code} for ${key}`, field: 'email' } });
        let serial = await store.commitBatch(batchFor(state, { runId: 'run-a', failed: [fail('x', 'INVALID_EMAIL'), fail(keyOf(0), 'LOCKED')] }));
        const first = (await store.listRowErrors({ sync: 's', limit: 10 })).find((r) => r.key === 'x');
        expect(first).toEqual({ sync: 's', key: 'x', action: 'update', code: 'INVALID_EMAIL', message: 'INVALID_EMAIL for x', field: 'email', attempts: 1, runId: 'run-a', firstSeenAt: expect.any(String), lastSeenAt: first!.firstSeenAt });
        await sleep(5);
        state = { ...state, serial };
        serial = await store.commitBatch(batchFor(state, { runId: 'run-b', failed: [{ key: 'x', action: 'create', error: { code: 'BLOCKED', message: 'no' } }] }));
        const second = (await store.listRowErrors({ sync: 's', limit: 10 })).find((r) => r.key === 'x')!;
        expect(second).toMatchObject({ attempts: 2, runId: 'run-b', code: 'BLOCKED', action: 'create', field: null, firstSeenAt: first!.firstSeenAt });
        expect(second.lastSeenAt > first!.lastSeenAt).toBe(true);
        expect(await store.countRowErrors('s')).toBe(2);
        expect(await store.countRows('s')).toBe(2); // a failure never touches the snapshot
        await store.commitBatch(batchFor({ ...state, serial }, { delivered: [delivered('x', person(5))], deleted: [keyOf(0)] }));
        expect(await store.countRowErrors('s')).toBe(0);
      });

      it('keeps the snapshots of different syncs apart', async () => {
        await seed('a', 3);
        const b = await store.ensureState('b');
        expect(await store.countRows('b')).toBe(0);
        await store.commitBatch(batchFor(b, { delivered: [delivered(keyOf(0), person(7))] }));
        expect(await store.countRows('a')).toBe(3);
        expect((await store.readState('a'))!.serial).toBe(1);
      });
    });

    describe('lock', () => {
      it('is held by one holder at a time until released', async () => {
        expect(await store.acquireLock({ sync: 's', holder: 'one', ttlMs: 60_000 })).toEqual({ acquired: true });
        expect(await store.acquireLock({ sync: 's', holder: 'one', ttlMs: 60_000 })).toEqual({ acquired: true }); // re-entrant
        const refused = await store.acquireLock({ sync: 's', holder: 'two', ttlMs: 60_000 });
        expect(refused).toEqual({ acquired: false, holder: 'one', expiresAt: expect.any(String) });
        expect(Date.parse((refused as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now() + 50_000);
        await store.releaseLock('s', 'two'); // not theirs to release
        expect((await store.acquireLock({ sync: 's', holder: 'two', ttlMs: 60_000 })).acquired).toBe(false);
        await store.releaseLock('s', 'one');
        expect(await store.acquireLock({ sync: 's', holder: 'two', ttlMs: 60_000 })).toEqual({ acquired: true });
      });

      it('is taken over once expired, or when its holder is known dead', async () => {
        await store.acquireLock({ sync: 's', holder: 'one', ttlMs: 100 });
        await sleep(150);
        expect((await store.acquireLock({ sync: 's', holder: 'two', ttlMs: 60_000 })).acquired).toBe(true);
        const isDead = (holder: string) => holder === 'two';
        expect((await store.acquireLock({ sync: 's', holder: 'three', ttlMs: 60_000, holderIsDead: isDead })).acquired).toBe(true);
        expect((await store.acquireLock({ sync: 's', holder: 'four', ttlMs: 60_000, holderIsDead: isDead })).acquired).toBe(false);
      });

      it('is extended by its holder only', async () => {
        await store.acquireLock({ sync: 's', holder: 'one', ttlMs: 200 });
        expect(await store.refreshLock('s', 'one', 60_000)).toBe(true);
        expect(await store.refreshLock('s', 'two', 60_000)).toBe(false);
        await sleep(250);
        expect((await store.acquireLock({ sync: 's', holder: 'two', ttlMs: 60_000 })).acquired).toBe(false);
        await store.releaseLock('s', 'one');
        expect(await store.refreshLock('s', 'one', 60_000)).toBe(false);
      });

      it('is per sync', async () => {
        await store.acquireLock({ sync: 'a', holder: 'one', ttlMs: 60_000 });
        expect((await store.acquireLock({ sync: 'b', holder: 'two', ttlMs: 60_000 })).acquired).toBe(true);
      });
    });

    describe('runs and row errors', () => {
      it('records runs and lists them newest first, by sync, up to the limit', async () => {
        await store.startRun({ id: 'r1', sync: 'a', kind: 'plan', startedAt: '2025-01-01T00:00:00.000Z', planned: 4 });
        await store.startRun({ id: 'r2', sync: 'b', kind: 'apply', startedAt: '2025-01-02T00:00:00.000Z', planned: 0 });
        await store.startRun({ id: 'r3', sync: 'a', kind: 'apply', startedAt: '2025-01-03T00:00:00.000Z', planned: 4 });
        expect(await store.listRuns({ sync: 'a', limit: 10 })).toEqual([
          { id: 'r3', sync: 'a', kind: 'apply', startedAt: '2025-01-03T00:00:00.000Z', finishedAt: null, status: 'running', planned: 4, delivered: 0, failed: 0, rejected: 0, apiCalls: 0, rateLimited: 0, message: null },
          { id: 'r1', sync: 'a', kind: 'plan', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: null, status: 'running', planned: 4, delivered: 0, failed: 0, rejected: 0, apiCalls: 0, rateLimited: 0, message: null },
        ]);
        expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['r3', 'r2']);
        const outcome = { id: 'r3', finishedAt: '2025-01-03T00:05:00.000Z', status: 'partial' as const, planned: 4, delivered: 3, failed: 1, rejected: 1, apiCalls: 2, rateLimited: 1, message: '1 row rejected' };
        await store.finishRun(outcome);
        expect((await store.listRuns({ sync: 'a', limit: 1 }))[0]).toEqual({ ...outcome, sync: 'a', kind: 'apply', startedAt: '2025-01-03T00:00:00.000Z' });
        await expect(store.finishRun({ ...outcome, id: 'missing' })).rejects.toThrow(/startRun/);
      });

      it('lists row errors most recently seen first, up to the limit, per sync', async () => {
        const state = await store.ensureState('s');
        let serial = state.serial;
        for (const key of ['p', 'q', 'r']) {
          serial = await store.commitBatch(batchFor({ ...state, serial }, { failed: [{ key, action: 'create', error: { code: 'BAD', message: 'bad' } }] }));
          await sleep(5);
        }
        expect((await store.listRowErrors({ sync: 's', limit: 2 })).map((e) => e.key)).toEqual(['r', 'q']);
        expect(await store.listRowErrors({ sync: 'other', limit: 10 })).toEqual([]);
        expect(await store.countRowErrors('other')).toBe(0);
      });
    });

    describeOperationsContract(
      () => store,
      (state, parts) =>
        store.commitBatch(
          batchFor(state, {
            delivered: (parts.delivered ?? []).map((key) => delivered(key, person(0))),
            failed: (parts.failed ?? []).map((key) => ({ key, action: 'create' as const, error: { code: 'BAD', message: 'bad' } })),
          }),
        ),
    );

    describeKeyCaseContract(() => store);

    describe('reset', () => {
      it('starts a new lineage and forgets rows and errors, keeping runs; older plans become stale', async () => {
        const before = await seed('s', 3);
        await store.commitBatch(batchFor(before, { failed: [{ key: 'x', action: 'create', error: { code: 'BAD', message: 'bad' } }] }));
        await store.startRun({ id: 'r1', sync: 's', kind: 'apply', startedAt: '2025-01-01T00:00:00.000Z', planned: 3 });
        const after = await store.reset('s');
        expect(after).toEqual({ sync: 's', lineage: expect.any(String), serial: 0, definitionHash: null });
        expect(after.lineage).not.toBe(before.lineage);
        expect(await store.readState('s')).toEqual(after);
        expect(await store.countRows('s')).toBe(0);
        expect(await store.countRowErrors('s')).toBe(0);
        expect(await store.listRuns({ sync: 's', limit: 10 })).toHaveLength(1);
        await expect(store.commitBatch(batchFor({ ...before, serial: 0 }, {}))).rejects.toThrow(StalePlanError);
        expect((await store.reset('fresh')).serial).toBe(0);
      });
    });
  });
}
