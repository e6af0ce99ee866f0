import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import { SnowflakeQueryError } from '../../../src/sources/snowflake/index.ts';
import type { SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, readAll, startEmulator } from './harness.ts';

describe('Snowflake source: reading', () => {
  let emulator: SnowflakeEmulator;
  let session: SourceSession;

  beforeAll(async () => {
    emulator = await startEmulator({
      // DuckDB keeps only the instant of a TIMESTAMPTZ; report this column as TIMESTAMP_TZ at +05:30.
      typeOverrides: { shown_in_india: { type: 'timestamp_tz', offsetMinutes: 330 }, settings: 'object' },
      queryHoldMs: 200,
      resultHoldMs: 200,
    });
    await emulator.exec(`CREATE TABLE accounts (id INTEGER, name VARCHAR, mrr DECIMAL(10,2));
      INSERT INTO accounts VALUES (1, 'Acme', 1200.50), (2, 'Globex', 99.00)`);
    session = await openSource(passwordOptions(emulator));
  });
  afterAll(async () => {
    await session.close();
    await emulator.close();
  });

  it('normalises the Snowflake types the contract fixture does not cover', async () => {
    const [row] = (await readAll(session, `SELECT
        TIME '08:30:00' AS opens_at,
        TIME '12:34:56.789123' AS precise_time,
        TIMESTAMPTZ '2024-03-10 12:34:56.789+05:30' AS shown_in_india,
        TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS nanos,
        123456789012345678901234567890::DECIMAL(38,0) AS huge,
        -1.5::DECIMAL(5,3) AS scaled,
        0.000::DECIMAL(4,3) AS zero_scaled,
        'Infinity'::DOUBLE AS inf,
        '-Infinity'::DOUBLE AS neg_inf,
        1.1::FLOAT AS single,
        {'tier': 'gold', 'seats': 12} AS settings,
        '{"nested": [1, {"deep": true}]}'::JSON AS structured,
        MAP {'a': 1} AS mapped`)).flat();
    expect(row).toStrictEqual({
      opens_at: '08:30:00',
      precise_time: '12:34:56.789123',
      shown_in_india: '2024-03-10T07:04:56.789Z',
      nanos: '2024-01-01T00:00:00.123Z',
      huge: '123456789012345678901234567890',
      scaled: '-1.500',
      zero_scaled: '0.000',
      inf: 'Infinity',
      neg_inf: '-Infinity',
      single: 1.1,
      settings: { tier: 'gold', seats: 12 },
      structured: { nested: [1, { deep: true }] },
      mapped: { a: 1 },
    });
  });

  it('describes columns with Snowflake type names without running the query', async () => {
    const executionsBefore = emulator.counters.executions;
    const columns = await session.describe!('SELECT id, name, mrr, CURRENT_TIMESTAMP AS seen_at FROM accounts');
    expect(columns).toEqual([
      { name: 'id', type: 'NUMBER(38,0)' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'mrr', type: 'NUMBER(10,2)' },
      { name: 'seen_at', type: 'TIMESTAMP_LTZ' },
    ]);
    expect(emulator.counters.executions).toBe(executionsBefore);
    expect(emulator.queries.at(-1)?.describeOnly).toBe(true);
  });

  it('turns a SQL error into a SourceError with Snowflake\'s code, SQLSTATE and message', async () => {
    const error = await readAll(session, 'SELECT * FROM no_such_accounts').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SnowflakeQueryError);
    expect(error).toBeInstanceOf(SourceError);
    const sqlError = error as SnowflakeQueryError;
    expect(sqlError.code).toBe('002003');
    expect(sqlError.snowflakeCode).toBe('002003');
    expect(sqlError.sqlState).toBe('42S02');
    expect(sqlError.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sqlError.message).toMatch(/^Snowflake error 002003 \(SQLSTATE 42S02, query [0-9a-f-]{36}\): SQL compilation error:/);
    expect(sqlError.message).toContain('no_such_accounts');
  });

  it('tags every query ebb:<sync> and bounds it with STATEMENT_TIMEOUT_IN_SECONDS', async () => {
    await readAll(session, 'SELECT id FROM accounts', { queryTag: 'ebb:accounts-to-hubspot', timeoutMs: 90_000 });
    await readAll(session, 'SELECT name FROM accounts', { queryTag: 'accounts-to-salesforce', timeoutMs: 1500 });
    const [first, second] = emulator.queries.slice(-2);
    expect(first).toMatchObject({ sql: 'SELECT id FROM accounts', queryTag: 'ebb:accounts-to-hubspot' });
    expect(first?.parameters).toMatchObject({ QUERY_TAG: 'ebb:accounts-to-hubspot', STATEMENT_TIMEOUT_IN_SECONDS: 90 });
    // A bare sync name gets the prefix; part of a second rounds up rather than to "no timeout".
    expect(second?.parameters).toMatchObject({ QUERY_TAG: 'ebb:accounts-to-salesforce', STATEMENT_TIMEOUT_IN_SECONDS: 2 });
  });

  it('waits out a long-running query through the 333333 "still running" polls', async () => {
    const before = { ...emulator.counters };
    emulator.knobs.slowQueryMs = 900;
    try {
      const rows = (await readAll(session, 'SELECT id, name FROM accounts ORDER BY id')).flat();
      expect(rows).toEqual([{ id: 1, name: 'Acme' }, { id: 2, name: 'Globex' }]);
    } finally {
      emulator.knobs.slowQueryMs = undefined;
    }
    // The first answer was 333333, then the driver long-polled the result URL until the rows came.
    expect(emulator.counters.inProgressReplies - before.inProgressReplies).toBeGreaterThanOrEqual(2);
    expect(emulator.counters.resultPolls - before.resultPolls).toBeGreaterThanOrEqual(2);
    expect(emulator.counters.executions - before.executions).toBe(1);
  });

  it('reports a query cancelled by its statement timeout as SOURCE_TIMEOUT', async () => {
    emulator.knobs.slowQueryMs = 5000;
    const started = Date.now();
    try {
      const error = await readAll(session, 'SELECT * FROM accounts', { timeoutMs: 1000 }).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(SnowflakeQueryError);
      expect(error).toMatchObject({ code: 'SOURCE_TIMEOUT', snowflakeCode: '000630', sqlState: '57014' });
      expect((error as Error).message).toContain('timeout of 1 second(s)');
    } finally {
      emulator.knobs.slowQueryMs = undefined;
    }
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('refuses a query whose columns share a name', async () => {
    const attempt = readAll(session, 'SELECT id, name AS id FROM accounts');
    await expect(attempt).rejects.toMatchObject({ code: 'SOURCE_DUPLICATE_COLUMN', message: expect.stringContaining('"id"') });
  });
});
