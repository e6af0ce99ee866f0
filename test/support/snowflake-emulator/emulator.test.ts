import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, RowStatement } from 'snowflake-sdk';
import { startSnowflakeEmulator, type SnowflakeEmulator } from './index.ts';

/**
 * The emulator's lifecycle endpoints, driven by the real snowflake-sdk directly (the Snowflake
 * source tests cover login, queries, chunks, polling, expiry and replay through the source).
 */
type Sdk = typeof import('snowflake-sdk');

describe('Snowflake emulator: lifecycle endpoints the driver calls', () => {
  let emulator: SnowflakeEmulator;
  let sdk: Sdk;
  let connection: Connection;

  /** Starts a statement; `done` settles with its rows (or error) once the driver has them all. */
  const start = (sqlText: string, extra: Record<string, unknown> = {}) => {
    let statement!: RowStatement;
    const done = new Promise<unknown[]>((resolve, reject) => {
      statement = connection.execute({
        sqlText,
        ...extra,
        complete: (error, _statement, rows) => (error ? reject(error) : resolve(rows ?? [])),
      }) as RowStatement;
    });
    return { statement, done };
  };

  beforeAll(async () => {
    emulator = await startSnowflakeEmulator({ users: [{ name: 'driver', password: 'pw' }], queryHoldMs: 100, resultHoldMs: 100 });
    const imported = (await import('snowflake-sdk')) as Sdk & { default?: Sdk };
    sdk = imported.default ?? imported;
    sdk.configure({ logLevel: 'OFF' });
    // A trailing slash makes the driver ask for `//session/...`; the emulator collapses it as Snowflake's front end does.
    connection = sdk.createConnection({ accessUrl: `${emulator.url}/`, account: emulator.account, username: 'driver', password: 'pw' });
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('answers heartbeats (isValidAsync)', async () => {
    expect(await connection.isValidAsync()).toBe(true);
    expect(emulator.counters.heartbeats).toBeGreaterThanOrEqual(1);
  });

  it('runs an asyncExec query: 333334, then monitoring status, then the result by queryId', async () => {
    emulator.knobs.slowQueryMs = 300;
    try {
      const submitted = start('SELECT 21 * 2 AS answer', { asyncExec: true });
      await submitted.done;
      const queryId = submitted.statement.getQueryId();
      expect(await connection.getQueryStatus(queryId)).toBe('RUNNING');
      const finished = await connection.getResultsFromQueryId({ queryId });
      const rows: unknown[] = [];
      await new Promise<void>((resolve, reject) => {
        finished.streamRows().on('data', (row) => rows.push(row)).on('error', reject).on('end', () => resolve());
      });
      expect(rows).toEqual([{ answer: 42 }]);
      expect(await connection.getQueryStatus(queryId)).toBe('SUCCESS');
    } finally {
      emulator.knobs.slowQueryMs = undefined;
    }
  });

  it('cancels a running statement (abort-request), and its caller gets 000604', async () => {
    emulator.knobs.slowQueryMs = 5_000;
    try {
      const running = start('SELECT 1 AS never_finishes');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await new Promise<void>((resolve, reject) => running.statement.cancel((error) => (error ? reject(error) : resolve())));
      await expect(running.done).rejects.toMatchObject({ code: '000604', sqlState: '57014' });
      expect(emulator.counters.cancels).toBe(1);
    } finally {
      emulator.knobs.slowQueryMs = undefined;
    }
  });

  it('announces a chunked result\'s row count as Snowflake does, so getNumRows() is the number of rows the chunks hold', async () => {
    const rows = 25_000;
    const downloadsBefore = emulator.counters.chunkDownloads;
    const { statement, done } = start(`SELECT i FROM range(${rows}) t(i)`, { streamResult: true });
    await done;
    // The response's `returned` (and `total`), known before a single chunk is fetched.
    expect(statement.getNumRows()).toBe(rows);
    let streamed = 0;
    await new Promise<void>((resolve, reject) => {
      statement.streamRows().on('data', () => streamed++).on('error', reject).on('end', () => resolve());
    });
    expect(streamed).toBe(rows);
    expect(emulator.counters.chunkDownloads - downloadsBefore).toBe(3);
  });

  it('closes the server-side session on destroy, after which the connection refuses statements', async () => {
    await start('SELECT 1 AS kept_until_close').done;
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));
    expect(emulator.counters.sessionsClosed).toBe(1);
    await expect(start('SELECT 1').done).rejects.toMatchObject({ code: 407002 });
  });
});
