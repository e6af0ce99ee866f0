import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { rowCheck } from '../../core/row-check.ts';
import * as schema from './schema.ts';

export type SnapshotDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens (creating if needed) a snapshot file with the settings every store connection needs, and
 * brings its schema up to date.
 */
export function openSnapshotDb(path: string): SnapshotDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  try {
    configure(client);
    const db = drizzle({ client, schema });
    const needsRowChecks = hasRowsWithoutChecks(client);
    applyMigrations(db);
    if (needsRowChecks) backfillRowChecks(client);
    return db;
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so a read-check-write
 * (serial compare-and-set, lock takeover) cannot interleave with another connection's.
 * Drizzle queries on `db` inside `work` run in this transaction (same connection).
 */
export function immediate<T>(db: SnapshotDb, work: () => T): T {
  return db.$client.transaction(work).immediate();
}

function configure(client: Database.Database): void {
  // Readers (a `plan`, a status page) never wait for a writer, and a writer waits for another
  // rather than failing at once.
  client.pragma('journal_mode = WAL');
  client.pragma('busy_timeout = 5000');
  // A commit records what a destination acknowledged: make it durable before the next batch goes out.
  client.pragma('synchronous = FULL');
  client.pragma('foreign_keys = ON');
  // Small page caches (4 MB each for the snapshot and for staging) and staging on disk, so a 10M-row
  // plan stays flat in memory; the OS's file cache does the caching. Staging holds payloads only for
  // changed rows, so it is small; the snapshot's pages are read once per plan, in order. 16 MB each
  // cost 12 MB more RSS at 1M rows, and made neither a plan nor a first plan of 1M rows faster.
  client.pragma('cache_size = -4096');
  client.pragma('temp_store = FILE');
  client.pragma('temp.cache_size = -4096');
}

/** A snapshot written before row checks existed (migration 0003) gets them once, right after it. */
function hasRowsWithoutChecks(client: Database.Database): boolean {
  const columns = client.prepare(`SELECT name FROM pragma_table_info('snapshot_rows')`).pluck().all() as string[];
  return columns.length > 0 && !columns.includes('row_check');
}

function backfillRowChecks(client: Database.Database): void {
  client.function('ebb_row_check', { deterministic: true }, (key, payload) => rowCheck(String(key), String(payload)));
  client.exec('UPDATE snapshot_rows SET row_check = ebb_row_check(key, payload)');
}

/**
 * Two processes opening a fresh file at once can both decide to run the same migration; the loser
 * fails on "table already exists" after the winner commits, and a second pass then finds nothing to do.
 */
function applyMigrations(db: SnapshotDb): void {
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}
