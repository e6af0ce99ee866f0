import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStorageError } from '../../src/core/errors.ts';
import { asStorageFailure } from '../../src/snapshot/sqlite/storage-failure.ts';

/** The errors are SQLite's own: a real database, made to fail the way a full disk or a read-only file does. */
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function failureOf(setUp: (db: Database.Database) => void, statement: string): unknown {
  dir = mkdtempSync(join(tmpdir(), 'ebb-storage-'));
  const db = new Database(join(dir, 'snapshot.sqlite'));
  try {
    db.exec('create table t (id integer primary key, v text not null)');
    setUp(db);
    db.exec(statement);
    return null;
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}

describe('asStorageFailure', () => {
  it('a full database (SQLITE_FULL) → LocalStorageError naming the file, its free space and what to do', () => {
    // max_page_count makes SQLite answer exactly as it does when the disk has no room left.
    const full = failureOf((db) => db.pragma('max_page_count = 3'), `with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) insert into t (v) select hex(randomblob(400)) from n`);
    expect((full as { code: string }).code).toBe('SQLITE_FULL');
    const path = join(dir, 'snapshot.sqlite');
    const error = asStorageFailure(full, path, 'record a delivered batch in the snapshot');
    expect(error).toBeInstanceOf(LocalStorageError);
    expect((error as LocalStorageError).code).toBe('LOCAL_STORAGE');
    expect((error as LocalStorageError).cause).toBe(full);
    expect((error as Error).message).toMatch(
      new RegExp(`^could not record a delivered batch in the snapshot: the disk is full \\(SQLITE_FULL\\)\\. The snapshot is ${path.replace(/[.]/g, '\\.')} \\(\\d+(\\.\\d)? [KMG]B free on its disk\\)\\. Free space on that disk and run again$`),
    );
    // A plan's staging also writes SQLite's temporary files, elsewhere: the message says where.
    const staging = asStorageFailure(full, path, 'stage the model', true) as Error;
    expect(staging.message).toContain("the plan's staging is in SQLite's temporary files, in $SQLITE_TMPDIR, else $TMPDIR, else /var/tmp. Free space there, or point TMPDIR at a larger disk, and run again");
  });

  it('a read-only file (SQLITE_READONLY) → what to make writable', () => {
    const readOnly = failureOf((db) => db.pragma('query_only = ON'), `insert into t (v) values ('x')`);
    expect((readOnly as { code: string }).code).toMatch(/^SQLITE_READONLY/);
    const error = asStorageFailure(readOnly, join(dir, 'snapshot.sqlite'), 'take the sync\'s lock') as Error;
    expect(error).toBeInstanceOf(LocalStorageError);
    expect(error.message).toContain("could not take the sync's lock: the file is read-only");
    expect(error.message).toContain('Make the snapshot file and its directory writable by this user, then run again');
    expect(error.message).not.toContain('free on its disk'); // room is not the problem
  });

  it('a file system error from creating the directory (ENOSPC) is one too; other errors pass through unchanged', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, mkdir'), { code: 'ENOSPC' });
    expect(asStorageFailure(enospc, '/nowhere/snapshot.sqlite', 'open the snapshot')).toBeInstanceOf(LocalStorageError);

    const constraint = failureOf(() => {}, `insert into t (v) values (null)`);
    expect((constraint as { code: string }).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(asStorageFailure(constraint, join(dir, 'snapshot.sqlite'), 'commit')).toBe(constraint);
    const plain = new Error('a bug');
    expect(asStorageFailure(plain, 'x.sqlite', 'commit')).toBe(plain);
    expect(asStorageFailure('not an error', 'x.sqlite', 'commit')).toBe('not an error');
  });
});
