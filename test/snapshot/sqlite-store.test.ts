import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StalePlanError } from '../../src/core/errors.ts';
import { rowCheck } from '../../src/core/row-check.ts';
import { openSqliteSnapshotStore, type SqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { SnapshotChecks } from '../../src/snapshot/sqlite/snapshot-checks.ts';
import { batchFor, collect, countChanges, delivered, stageAll, stageByCheck, staged } from '../contracts/snapshot-store-contract.ts';

const MIGRATIONS_DIR = new URL('../../src/snapshot/sqlite/migrations', import.meta.url);
const MIGRATIONS = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));

describe('SQLite snapshot store', () => {
  let dir: string;
  let file: string;
  const opened: SqliteSnapshotStore[] = [];
  const open = () => {
    const store = openSqliteSnapshotStore(file);
    opened.push(store);
    return store;
  };
  /** A plain connection to the same file, to look at what the store wrote. */
  const inspect = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ebb-sqlite-store-'));
    file = join(dir, 'nested', 'state', 'snapshot.db');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file and its directories, and applies every committed migration', async () => {
    expect(existsSync(file)).toBe(false);
    open();
    expect(existsSync(file)).toBe(true);
    const tables = inspect((db) => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all());
    expect(tables).toEqual(expect.arrayContaining(['__drizzle_migrations', 'row_errors', 'runs', 'snapshot_rows', 'sync_state']));
    expect(inspect((db) => db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get())).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
  });

  it('writes in WAL mode', () => {
    open();
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('keeps state, rows, runs and errors across close and reopen, without re-running migrations', async () => {
    const first = open();
    const state = await first.ensureState('s');
    await first.commitBatch(batchFor(state, { delivered: [delivered('a', { n: 1 })], failed: [{ key: 'b', action: 'create', error: { code: 'BAD', message: 'bad' } }] }));
    await first.startRun({ id: 'r1', sync: 's', kind: 'apply', startedAt: '2025-01-01T00:00:00.000Z', planned: 2 });
    await first.close();

    const second = open();
    expect(await second.readState('s')).toEqual({ ...state, serial: 1, definitionHash: 'def-1' });
    expect(await second.countRows('s')).toBe(1);
    expect(await second.countRowErrors('s')).toBe(1);
    expect((await second.listRuns({ limit: 5 })).map((r) => r.id)).toEqual(['r1']);
    expect(inspect((db) => db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get())).toBe(MIGRATIONS.length);
  });

  it('shares the lock between two handles on the same file', async () => {
    const a = open();
    const b = open();
    expect(await a.acquireLock({ sync: 's', holder: 'process-a', ttlMs: 60_000 })).toEqual({ acquired: true });
    expect(await b.acquireLock({ sync: 's', holder: 'process-b', ttlMs: 60_000 })).toMatchObject({ acquired: false, holder: 'process-a' });
    expect(await b.refreshLock('s', 'process-b', 60_000)).toBe(false);
    await a.releaseLock('s', 'process-a');
    expect(await b.acquireLock({ sync: 's', holder: 'process-b', ttlMs: 60_000 })).toEqual({ acquired: true });
    const takeover = await a.acquireLock({ sync: 's', holder: 'process-a', ttlMs: 60_000, holderIsDead: (h) => h === 'process-b' });
    expect(takeover).toEqual({ acquired: true });
  });

  it("refuses a commit after another handle's commit moved the serial", async () => {
    const a = open();
    const b = open();
    const planned = await a.ensureState('s');
    await b.commitBatch(batchFor(planned, { delivered: [delivered('x', { n: 1 })] }));
    const late = a.commitBatch(batchFor(planned, { delivered: [delivered('y', { n: 2 })] }));
    await expect(late).rejects.toThrow(StalePlanError);
    await expect(late).rejects.toThrow(/re-run `ebb plan`/);
    expect(await a.countRows('s')).toBe(1);
  });

  it('keeps staging private to its connection', async () => {
    const a = open();
    const b = open();
    await stageAll(a, 's', [staged('k', { n: 1 })]);
    await expect(countChanges(b, 's')).rejects.toThrow(/beginStaging/);
    expect(await countChanges(a, 's')).toEqual({ create: 1, update: 0, delete: 0 });
  });

  it('keeps a known remote id when a delivery reports none, and replaces it when one is reported', async () => {
    const store = open();
    let state = await store.ensureState('s');
    const serial = await store.commitBatch(batchFor(state, { delivered: [delivered('k', { n: 1 }, 'crm-1')] }));
    state = { ...state, serial };
    await store.commitBatch(batchFor(state, { delivered: [delivered('k', { n: 2 }, null)] }));
    await stageAll(store, 's', [staged('k', { n: 3 })]);
    const [change] = (await collect(store.diff('s', { includeDeletes: false, batchSize: 5 }))).flat();
    expect(change).toMatchObject({ remoteId: 'crm-1', before: { n: 2 } });
  });

  it('moves last_delivered_at only when a commit delivered or deleted something', async () => {
    const store = open();
    const state = await store.ensureState('s');
    expect(await store.lastDeliveredAt('s')).toBeNull();
    let serial = await store.commitBatch(batchFor(state, { failed: [{ key: 'k', action: 'create', error: { code: 'BAD', message: 'bad' } }] }));
    expect(await store.lastDeliveredAt('s')).toBeNull();
    const before = Date.now();
    serial = await store.commitBatch(batchFor({ ...state, serial }, { delivered: [delivered('k', { n: 1 })] }));
    const deliveredAt = await store.lastDeliveredAt('s');
    expect(Date.parse(deliveredAt!)).toBeGreaterThanOrEqual(before - 1);
    await store.commitBatch(batchFor({ ...state, serial }, {}));
    expect(await store.lastDeliveredAt('s')).toBe(deliveredAt);
  });

  describe('row checks', () => {
    const payload = (i: number) => ({ email: `user${i}@example.com`, n: i });
    const seedRows = async (store: SqliteSnapshotStore, count: number) => {
      const state = await store.ensureState('s');
      const rows = Array.from({ length: count }, (_, i) => delivered(`k${i}`, payload(i)));
      await store.commitBatch(batchFor(state, { delivered: rows }));
    };
    const model = (...indexes: number[]) => indexes.map((i) => ({ key: `k${i}`, payload: payload(i) }));
    const setChecks = (sql: string) => {
      const db = new Database(file);
      db.exec(sql);
      db.close();
    };

    it('stores the check of key and canonical payload with every delivered row', async () => {
      const store = open();
      await seedRows(store, 2);
      const rows = inspect((db) => db.prepare('SELECT key, payload, row_check AS check_ FROM snapshot_rows ORDER BY key').all()) as { key: string; payload: string; check_: number }[];
      expect(rows.map((r) => r.check_)).toEqual(rows.map((r) => rowCheck(r.key, r.payload)));
      expect(new Set(rows.map((r) => r.check_)).size).toBe(2);
    });

    it('never settles rows on a check two snapshot rows share, and still diffs them exactly', async () => {
      const store = open();
      await seedRows(store, 4);
      setChecks(`UPDATE snapshot_rows SET row_check = 42 WHERE key IN ('k0', 'k1', 'k2')`);
      const { summary, staged: stagedKeys } = await stageByCheck(store, 's', model(0, 1, 3));
      expect(summary.unchanged).toBe(1);
      expect(stagedKeys).toEqual(['k0', 'k1']);
      const changes = (await collect(store.diff('s', { includeDeletes: true, batchSize: 10 }))).flat();
      expect(changes.map((c) => [c.action, c.key])).toEqual([['delete', 'k2']]);
    });

    it('loads the same checks whatever the page size, also when equal checks straddle two pages', async () => {
      await seedRows(open(), 10);
      setChecks(`UPDATE snapshot_rows SET row_check = CASE key WHEN 'k0' THEN 1 WHEN 'k1' THEN 2 WHEN 'k2' THEN 2 WHEN 'k3' THEN 2
        WHEN 'k4' THEN 3 WHEN 'k5' THEN 4 WHEN 'k6' THEN 4 WHEN 'k7' THEN 5 WHEN 'k8' THEN 6 ELSE 7 END`);
      const load = (limit: number, pageSize: number) => inspect((db) => SnapshotChecks.load(db, 's', limit, pageSize));
      for (const pageSize of [1, 2, 3, 4, 100]) {
        const all = load(100, pageSize);
        expect([...all.unmatched()], `page size ${pageSize}`).toEqual([1, 2, 3, 4, 5, 6, 7]);
        const checks = [1, 2, 4, 7, 8];
        const positions = new Int32Array(checks.length);
        all.locate(checks, checks.length, positions);
        expect([...positions].map((at) => all.matchAt(at))).toEqual(['unchanged', 'none', 'none', 'unchanged', 'none']);
        // Capped at 5 rows: the lowest five are 1, 2, 2, 2, 3, and checks from 4 up are not held.
        const capped = load(5, pageSize);
        expect(capped.heldBelow).toBe(4);
        expect([...capped.unmatched()]).toEqual([1, 2, 3]);
      }
    });

    it('plans rows without a check (0, as written before checks existed) exactly, only slower', async () => {
      const store = open();
      await seedRows(store, 3);
      setChecks('UPDATE snapshot_rows SET row_check = 0');
      const { summary } = await stageByCheck(store, 's', model(2, 0));
      expect(summary).toMatchObject({ rows: 2, unchanged: 0 });
      expect(await countChanges(store, 's')).toEqual({ create: 0, update: 0, delete: 1 });
    });

    it('holds the checks of at most `checksInMemory` rows, the lowest, and plans the others exactly through staging', async () => {
      await seedRows(open(), 10);
      const lowest = inspect((db) => db.prepare('SELECT key FROM snapshot_rows ORDER BY row_check LIMIT 3').pluck().all()) as string[];
      for (const limit of [3, 0]) {
        const capped = openSqliteSnapshotStore(file, { checksInMemory: limit });
        opened.push(capped);
        // k2 changes, k9 leaves, k10 arrives, k4 comes twice.
        const rows = [...model(0, 1, 3, 4, 4, 5, 6, 7, 8), { key: 'k2', payload: { ...payload(2), n: -2 } }, ...model(10)];
        const { summary, staged: stagedKeys } = await stageByCheck(capped, 's', rows);
        const held = limit === 0 ? [] : lowest.filter((k) => k !== 'k2' && k !== 'k9');
        expect(summary.unchanged).toBe(held.length + (held.includes('k4') ? 1 : 0));
        expect(stagedKeys).toHaveLength(rows.length - summary.unchanged);
        expect(summary.duplicateSamples).toEqual([{ key: 'k4', occurrences: 2 }]);

        const fixed = await stageByCheck(capped, 's', rows.filter((r, i) => !(r.key === 'k4' && i === 4)));
        expect(fixed.summary.duplicateKeys).toBe(0);
        const changes = (await collect(capped.diff('s', { includeDeletes: true, batchSize: 10 }))).flat();
        expect(changes.map((c) => [c.action, c.key])).toEqual([
          ['create', 'k10'],
          ['update', 'k2'],
          ['delete', 'k9'],
        ]);
      }
    });

    it('gives the rows of a snapshot made before checks existed their checks when it is first opened', async () => {
      // A snapshot file as the release before row checks left it: migrations up to 0002 only.
      const oldMigrations = join(dir, 'migrations');
      cpSync(MIGRATIONS_DIR, oldMigrations, { recursive: true });
      const journalFile = join(oldMigrations, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0003');
      writeFileSync(journalFile, JSON.stringify(journal));
      mkdirSync(join(dir, 'nested', 'state'), { recursive: true });
      const old = new Database(file);
      migrate(drizzle({ client: old }), { migrationsFolder: oldMigrations });
      old.exec(`INSERT INTO sync_state (sync, lineage, serial, updated_at) VALUES ('s', 'l1', 1, '2026-01-01T00:00:00.000Z')`);
      const insert = old.prepare(`INSERT INTO snapshot_rows (sync, key, fingerprint, payload, synced_at, run_id) VALUES ('s', ?, 'fp', ?, '2026-01-01T00:00:00.000Z', 'r')`);
      for (const row of model(0, 1, 2)) insert.run(row.key, JSON.stringify(row.payload));
      old.close();

      const store = open();
      const checks = inspect((db) => db.prepare('SELECT key, payload, row_check AS check_ FROM snapshot_rows ORDER BY key').all()) as { key: string; payload: string; check_: number }[];
      expect(checks.map((r) => r.check_)).toEqual(checks.map((r) => rowCheck(r.key, r.payload)));
      const { summary } = await stageByCheck(store, 's', model(0, 1, 2));
      expect(summary.unchanged).toBe(3);
    });
  });

  it('stores the payload as canonical JSON', async () => {
    const store = open();
    const state = await store.ensureState('s');
    await store.commitBatch(batchFor(state, { delivered: [delivered('k', { zeta: 1, alpha: { y: 2, x: [3, { b: 1, a: 0 }] } })] }));
    const payload = inspect((db) => db.prepare(`SELECT payload FROM snapshot_rows WHERE key = 'k'`).pluck().get());
    expect(payload).toBe('{"alpha":{"x":[3,{"a":0,"b":1}],"y":2},"zeta":1}');
  });
});
