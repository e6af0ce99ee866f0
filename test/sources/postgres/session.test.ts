import { connect, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows, sourceFailure } from '../../support/source-reading.ts';
import type { Row } from '../../../src/core/values.ts';
import { postgresSource } from '../../../src/sources/postgres/index.ts';
import type { ReadOptions, SourceSession } from '../../../src/sources/source.ts';
import { createTestSchema, POSTGRES_URL, type TestSchema } from '../../support/postgres.ts';

let schema: TestSchema;
let session: SourceSession;

beforeAll(async () => {
  schema = await createTestSchema('pg_session');
  await schema.query(`CREATE TABLE ${schema.name}.accounts AS SELECT i AS id, 'account ' || i AS name FROM generate_series(1, 5) i`);
  session = await postgresSource.open({ connectionString: POSTGRES_URL }, { rootDir: process.cwd() });
});

afterAll(async () => {
  await session?.close();
  await schema?.drop();
});

const rows = (query: string, options?: ReadOptions, on: SourceSession = session): Promise<Row[]> => readRows(on, query, options);

const failure = sourceFailure;

describe('postgres source: session behaviour', () => {
  it('sets application_name to the query tag; the query stays open server-side (a cursor) while a batch is in hand', async () => {
    const tag = `ebb:contacts-${schema.name.slice(-8)}`;
    const iterator = session.read('SELECT g FROM generate_series(1, 100000) g', { batchSize: 100, queryTag: tag })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(100);
    const activity = await schema.query<{ query: string; state: string }>('SELECT query, state FROM pg_stat_activity WHERE application_name = $1', [tag]);
    expect(activity.rows).toEqual([{ query: 'SELECT g FROM generate_series(1, 100000) g', state: 'active' }]);
    await iterator.return?.();
  });

  it('cancels a query that outlives timeoutMs with SQLSTATE 57014, then runs without the limit again', async () => {
    const started = Date.now();
    const error = await failure(() => rows('SELECT pg_sleep(5)', { batchSize: 10, timeoutMs: 300 }));
    expect(error.code).toBe('57014');
    expect(error.message).toMatch(/statement timeout/);
    expect(error.message).toContain("Hint: the query ran longer than the sync's readTimeout (statement_timeout); raise `readTimeout`");
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await rows('SHOW statement_timeout')).toEqual([{ statement_timeout: '0' }]);
  });

  it("never lengthens a statement_timeout the role has, and says that raising readTimeout would not help", async () => {
    const role = `ebb_limited_${schema.name.slice(-8)}`;
    await schema.query(`CREATE ROLE ${role} LOGIN`);
    await schema.query(`ALTER ROLE ${role} SET statement_timeout = '300ms'`);
    const limited = await postgresSource.open({ connectionString: POSTGRES_URL.replace('postgres@', `${role}@`) }, { rootDir: process.cwd() });
    try {
      const error = await failure(() => rows('SELECT pg_sleep(3)', { batchSize: 10, timeoutMs: 60_000 }, limited));
      expect(error.code).toBe('57014');
      expect(error.message).toContain('statement_timeout of its role or database (300 ms), which is shorter than the sync\'s readTimeout');
      expect(error.message).toContain('ALTER ROLE');
      // A readTimeout shorter than the role's limit applies, with the usual hint.
      const shorter = await failure(() => rows('SELECT pg_sleep(3)', { batchSize: 10, timeoutMs: 100 }, limited));
      expect(shorter.message).toContain("raise `readTimeout`");
    } finally {
      await limited.close();
      await schema.query(`DROP ROLE ${role}`);
    }
  });

  it('abandons a read whose connection goes silent (no rows, not even the timeout) soon after readTimeout', async () => {
    // A proxy to Postgres that, once told, stops forwarding in both directions without closing
    // anything: a network path that vanished.
    let silent = false;
    const sockets: Socket[] = [];
    const proxy = createServer((client) => {
      const server = connect(5432, '127.0.0.1');
      sockets.push(client, server);
      client.on('data', (data) => silent || server.write(data));
      server.on('data', (data) => silent || client.write(data));
      client.on('error', () => undefined);
      server.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const viaProxy = await postgresSource.open({ host: '127.0.0.1', port, user: 'postgres', database: 'test' }, { rootDir: process.cwd() });
    try {
      let delivered = 0;
      const started = Date.now();
      const error = await failure(async () => {
        for await (const batch of viaProxy.read('SELECT g FROM generate_series(1, 1000000) g', { batchSize: 100, timeoutMs: 500 })) {
          delivered += batch.length;
          silent = true;
        }
      });
      expect(delivered).toBe(100);
      expect(error.code).toBe('SOURCE_TIMEOUT');
      expect(error.message).toContain("Postgres sent nothing for 2000 ms past the sync's readTimeout (500 ms)");
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await viaProxy.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('gives up connecting to a host that accepts the connection and then says nothing', async () => {
    const sockets: Socket[] = [];
    const mute = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const port = (mute.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await failure(() => postgresSource.open({ host: '127.0.0.1', port, user: 'postgres', database: 'test', connectTimeoutMs: 500 }, { rootDir: process.cwd() }));
      expect(error.message).toMatch(/failed to connect to 127.0.0.1:\d+\/test: timeout expired\nHint: the server did not answer in time; check host, port and firewalls/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it('counts the timeout over the whole read, as the DuckDB source does', async () => {
    const error = await failure(async () => {
      for await (const _batch of session.read('SELECT g FROM generate_series(1, 1000) g', { batchSize: 10, timeoutMs: 300 })) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect(error.code).toBe('57014');
  });

  it('keeps the SQLSTATE of server errors as the SourceError code, and the session survives them', async () => {
    const missing = await failure(() => rows(`SELECT * FROM ${schema.name}.nope`));
    expect(missing.code).toBe('42P01');
    expect(missing.message).toContain(`relation "${schema.name}.nope" does not exist`);
    const syntax = await failure(() => rows('SELEC 1'));
    expect(syntax.code).toBe('42601');
    const division = await failure(() => rows('SELECT 1 / (id - id) FROM ' + `${schema.name}.accounts`));
    expect(division.code).toBe('22012');
    expect(await rows(`SELECT count(*)::int AS n FROM ${schema.name}.accounts`)).toEqual([{ n: 5 }]);
  });

  it('fails a read whose query errors after rows were already delivered, never ends it quietly short', async () => {
    let delivered = 0;
    const error = await failure(async () => {
      const query = 'SELECT g, CASE WHEN g > 5000 THEN 1 / (g - g) ELSE g END AS v FROM generate_series(1, 10000) g';
      for await (const batch of session.read(query, { batchSize: 100 })) delivered += batch.length;
    });
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThanOrEqual(5000);
    expect(error.code).toBe('22012');
    expect(await rows('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('refuses a second read while one is streaming, and allows it once the first is done', async () => {
    const first = session.read('SELECT g FROM generate_series(1, 10000) g', { batchSize: 100 })[Symbol.asyncIterator]();
    await first.next();
    const busy = await failure(() => rows('SELECT 1'));
    expect(busy.code).toBe('SOURCE_BUSY');
    await first.return?.();
    expect(await rows('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('refuses a query with two columns of the same name instead of dropping one', async () => {
    const error = await failure(() => rows('SELECT 1 AS id, 2 AS id'));
    expect(error.message).toContain('more than one column named "id"');
  });

  it('describes columns with Postgres type names without running the query', async () => {
    const columns = await session.describe!(
      `SELECT id, 1.5::numeric(12,2) AS amount, '{}'::jsonb AS doc, now() AS at, ARRAY[1] AS list FROM ${schema.name}.accounts WHERE 1 / (id - id) = 1;`,
    );
    expect(columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'amount', type: 'numeric(12,2)' },
      { name: 'doc', type: 'jsonb' },
      { name: 'at', type: 'timestamp with time zone' },
      { name: 'list', type: 'integer[]' },
    ]);
    const error = await failure(() => session.describe!(`SELECT * FROM ${schema.name}.nope`));
    expect(error.code).toBe('42P01');
  });

  it("never touches pg's global type parsers", async () => {
    await rows("SELECT 1::int8 AS big, now() AS at, '{1}'::int[] AS list");
    const plain = new pg.Client({ connectionString: POSTGRES_URL });
    await plain.connect();
    const result = await plain.query("SELECT 1::int8 AS big, timestamptz '2024-01-01 00:00:00+00' AS at");
    await plain.end();
    expect(result.rows[0].big).toBe('1');
    expect(result.rows[0].at).toBeInstanceOf(Date);
  });

  it('accepts host/port/user/database options as well as a connection string', async () => {
    const own = await postgresSource.open({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }, { rootDir: process.cwd() });
    expect(await rows('SELECT current_database() AS db', { batchSize: 1 }, own)).toEqual([{ db: 'test' }]);
    await own.close();
  });

  it('explains a refused connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(() => postgresSource.open({ host: '127.0.0.1', port, user: 'postgres', database: 'test' }, { rootDir: process.cwd() }));
    expect(error.code).toBe('SOURCE_CONNECTION');
    expect(error.message).toContain(`127.0.0.1:${port}/test`);
    expect(error.message).toContain('Hint: nothing is listening at that host and port: check that Postgres runs there and accepts TCP connections.');
  });
});
