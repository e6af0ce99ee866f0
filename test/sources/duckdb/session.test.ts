import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows, sourceFailure } from '../../support/source-reading.ts';
import { duckdbSource } from '../../../src/sources/duckdb/index.ts';
import type { SourceSession } from '../../../src/sources/source.ts';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebb-duckdb-session-'));
  const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE accounts AS SELECT i AS id, 'account ' || i AS name FROM range(1, 6) t(i)`);
  connection.closeSync();
  instance.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rows = readRows;

const failure = sourceFailure;

describe('duckdb source: opening', () => {
  it('opens files read-only by default, so init SQL cannot write, and refuses a model query that writes', async () => {
    const init = await failure(() => duckdbSource.open({ path: 'warehouse.duckdb', init: ['CREATE TABLE scratch (a INTEGER)'] }, { rootDir: dir }));
    expect(init.message).toMatch(/read-only/i);
    expect(init.message).toContain('readOnly: false');

    const session = await duckdbSource.open({ path: 'warehouse.duckdb' }, { rootDir: dir });
    // Its rows cannot be counted (a write is not a subquery), so it never runs.
    const write = await failure(() => rows(session, 'INSERT INTO accounts VALUES (99, $$x$$) RETURNING id'));
    expect(write.message).toContain('cannot count the rows of this query');
    expect(await rows(session, 'SELECT count(*) AS n FROM accounts')).toEqual([{ n: 5 }]);
    await session.close();
  });

  it('writes when readOnly is false, for init SQL that prepares the warehouse', async () => {
    const session = await duckdbSource.open(
      { path: 'writable.duckdb', readOnly: false, init: ['CREATE TABLE IF NOT EXISTS seeded AS SELECT 42 AS answer'] },
      { rootDir: dir },
    );
    expect(await rows(session, 'SELECT answer FROM seeded')).toEqual([{ answer: 42 }]);
    await session.close();
    expect(existsSync(join(dir, 'writable.duckdb'))).toBe(true);
  });

  it('reports a missing file with its resolved path, and does not create it', async () => {
    const error = await failure(() => duckdbSource.open({ path: 'missing/warehouse.duckdb' }, { rootDir: dir }));
    expect(error.code).toBe('SOURCE_CONNECTION');
    expect(error.message).toContain(join(dir, 'missing/warehouse.duckdb'));
    expect(error.message).toMatch(/Hint: check `path`/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('reports failing init SQL with the statement and DuckDB message', async () => {
    const error = await failure(() => duckdbSource.open({ path: ':memory:', init: ['CREATE VIEW v AS SELECT * FROM nowhere'] }, { rootDir: dir }));
    expect(error.message).toContain('CREATE VIEW v AS SELECT * FROM nowhere');
    expect(error.message).toMatch(/Catalog Error.*nowhere/);
  });

  it('validates options and explains each problem', () => {
    expect(duckdbSource.validateOptions({ path: 'warehouse.duckdb' })).toEqual([]);
    expect(duckdbSource.validateOptions({ path: ':memory:', init: ['SELECT 1'], readOnly: false })).toEqual([]);
    expect(duckdbSource.validateOptions({})).toEqual([expect.stringMatching(/^path: /)]);
    expect(duckdbSource.validateOptions({ path: ':memory:', readOnly: true })).toEqual([expect.stringContaining('in-memory DuckDB database cannot be read-only')]);
    expect(duckdbSource.validateOptions({ path: 'w.duckdb', init: 'SELECT 1' })).toEqual([expect.stringMatching(/^init: /)]);
    expect(duckdbSource.validateOptions({ path: 'w.duckdb', file: 'x' })).toEqual([expect.stringContaining('file')]);
  });
});

describe('duckdb source: reading', () => {
  let session: SourceSession;

  beforeAll(async () => {
    session = await duckdbSource.open({ path: join(dir, 'warehouse.duckdb') }, { rootDir: '/nowhere' });
  });
  afterAll(async () => {
    await session.close();
  });

  it('accepts an absolute path whatever the project root', async () => {
    expect(await rows(session, 'SELECT name FROM accounts WHERE id = 1')).toEqual([{ name: 'account 1' }]);
  });

  it('cancels a query that outlives timeoutMs and stays usable', async () => {
    const started = Date.now();
    const error = await failure(() => rows(session, 'SELECT count(*) FROM range(100000000000)', { batchSize: 10, timeoutMs: 200 }));
    expect(error.code).toBe('SOURCE_TIMEOUT');
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await rows(session, 'SELECT 1 AS ok', { batchSize: 10, timeoutMs: 5_000 })).toEqual([{ ok: 1 }]);
  });

  it('counts the timeout over the whole read, not per chunk', async () => {
    const error = await failure(async () => {
      for await (const _batch of session.read('SELECT * FROM range(100000)', { batchSize: 2048, timeoutMs: 150 })) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect(error.code).toBe('SOURCE_TIMEOUT');
  });

  it('refuses a second read while one is streaming, and allows it once the first is done', async () => {
    const first = session.read('SELECT * FROM range(10000)', { batchSize: 100 })[Symbol.asyncIterator]();
    await first.next();
    const busy = await failure(() => rows(session, 'SELECT 1'));
    expect(busy.code).toBe('SOURCE_BUSY');
    await first.return?.();
    expect(await rows(session, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('describes columns with DuckDB type names without running the query', async () => {
    const columns = await session.describe!(
      `SELECT id, 1.5::DECIMAL(12,2) AS amount, '{}'::JSON AS doc, now()::TIMESTAMPTZ AS at, [1]::INTEGER[] AS list FROM accounts WHERE error('never runs')`,
    );
    expect(columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL(12,2)' },
      { name: 'doc', type: 'JSON' },
      { name: 'at', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'list', type: 'INTEGER[]' },
    ]);
  });
});

/**
 * DuckDB's Node client ends a stream that failed part-way as if it were complete (see row-count.ts):
 * each read counts the query's rows first and fails when the stream delivers a different number.
 */
describe('duckdb source: a result cut short is an error, never a smaller model', () => {
  let session: SourceSession;

  beforeAll(async () => {
    session = await duckdbSource.open({ path: ':memory:', init: ['CREATE SEQUENCE ticket'] }, { rootDir: dir });
  });
  afterAll(async () => {
    await session.close();
  });

  it('fails with DuckDB\'s own error when a value cannot be converted after rows were already streamed', async () => {
    let streamed = 0;
    const error = await failure(async () => {
      const query = `SELECT i, (CASE WHEN i >= 1500000 THEN 'x' ELSE '1' END)::INTEGER AS v FROM range(2000000) t(i)`;
      for await (const batch of session.read(query, { batchSize: 1_000 })) streamed += batch.length;
    });
    expect(streamed).toBeGreaterThan(0);
    expect(streamed).toBeLessThan(2_000_000);
    expect(error.code).toBe('SOURCE_QUERY');
    expect(error.message).toMatch(/result ended after \d+ of the query's 2000000 rows/);
    expect(error.message).toContain(`Conversion Error: Could not convert string 'x'`);
    expect(error.message).toContain('Hint: a value in the data cannot be converted');
    // The session stays usable, and its transaction was ended.
    expect(await rows(session, 'SELECT 7 AS seven')).toEqual([{ seven: 7 }]);
  });

  it('fails as a timeout when the deadline interrupts DuckDB in the middle of a chunk', async () => {
    let streamed = 0;
    const error = await failure(async () => {
      for await (const batch of session.read(`SELECT i, md5(repeat('x', 2000) || i) AS h FROM range(1000000) t(i)`, { batchSize: 1_000, timeoutMs: 400 })) {
        streamed += batch.length;
      }
    });
    expect(streamed).toBeGreaterThan(0);
    expect(error.code).toBe('SOURCE_TIMEOUT');
  });

  it('fails when the query returns more rows than it counted (a query that differs on each run)', async () => {
    // The count draws tickets 1-10, the stream 11-20.
    const error = await failure(() => rows(session, `SELECT i FROM range(10) t(i) WHERE nextval('ticket') > 10`));
    expect(error.code).toBe('SOURCE_QUERY');
    expect(error.message).toContain("result ended after 10 of the query's 0 rows");
    expect(error.message).toContain('Hint: make the model query deterministic');
  });

  it('reads a query written with a trailing semicolon or comment, as DuckDB would run it', async () => {
    expect(await rows(session, 'SELECT 1 AS one;  \n')).toEqual([{ one: 1 }]);
    expect(await rows(session, 'FROM range(3) t(i) -- every row')).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
  });

  it('refuses a statement whose rows cannot be counted, and says what to write instead; describe (ebb validate) already does', async () => {
    const error = await failure(() => rows(session, 'PRAGMA version'));
    expect(error.code).toBe('SOURCE_QUERY');
    expect(error.message).toContain('cannot count the rows of this query');
    expect(error.message).toContain('write the model as one SELECT');
    const described = await failure(() => session.describe!('PRAGMA version'));
    expect(described.message).toBe(error.message);
  });

  it('reports a broken query with its own error, not the counting query\'s', async () => {
    const error = await failure(() => rows(session, 'SELECT nope FROM range(3) t(i)'));
    expect(error.message).toMatch(/DuckDB failed to run the query: Binder Error: .*nope/);
    // Line 1 of the model, not line 2 of `SELECT count(*) FROM (\n<model>\n)`.
    expect(error.message).toContain('LINE 1: SELECT nope');
    // A syntax error is the model's, not a sign that it cannot be counted.
    const syntax = await failure(() => rows(session, 'SELEC 1'));
    expect(syntax.message).toContain('Hint: the query is not valid DuckDB SQL');
    expect(syntax.message).not.toContain('cannot count');
  });
});
