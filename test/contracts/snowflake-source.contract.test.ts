import { afterAll, beforeAll } from 'vitest';
import { snowflakeSource } from '../../src/sources/snowflake/index.ts';
import { startSnowflakeEmulator, type SnowflakeEmulator } from '../support/snowflake-emulator/index.ts';
import { DUCKDB_FIXTURE_SQL, duckdbJsonQuery, duckdbSeriesQuery } from './duckdb-fixture-sql.ts';
import { describeSourceContract, type SourceHarness } from './source-contract.ts';

/**
 * The contract fixture (see source-contract.ts), created in the emulator's DuckDB. The emulator
 * answers through Snowflake's wire format: every value below reaches the source as a Snowflake
 * rowtype (NUMBER(38,0), NUMBER(12,2), REAL, DATE, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TEXT, VARIANT,
 * ARRAY, BINARY) decoded by the real snowflake-sdk.
 */
const FIXTURE_SQL = DUCKDB_FIXTURE_SQL;

const USER = { name: 'contract_user', password: 'contract-password' };

let emulator: SnowflakeEmulator;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator({ account: 'contract', users: [USER] });
  await emulator.exec(FIXTURE_SQL);
});

afterAll(async () => {
  await emulator.close();
});

/**
 * The contract's default million streamed rows, on purpose. Through the emulator the real driver
 * decodes every cell and the emulator shares this process, so that test takes 22-46 s here (two
 * shared cores). A smaller run does not fit the contract's memory check: its baseline is taken
 * after 10% of the rows, and snowflake-sdk's per-chunk row objects grow V8's old generation by
 * ~180 MB over the first ~100k rows before the heap plateaus (measured: 177-194 MB growth at
 * 200k and 500k rows; flat from 100k to 1M). With 1M the baseline falls after that plateau.
 */
describeSourceContract('snowflake (emulator)', async (): Promise<SourceHarness> => {
  const session = await snowflakeSource.open(
    { account: emulator.account, username: USER.name, password: USER.password, accessUrl: emulator.url, warehouse: 'TEST_WH', database: 'TESTDB', schema: 'PUBLIC' },
    { rootDir: process.cwd() },
  );
  return {
    session,
    fixtureQuery: 'SELECT * FROM contract_fixture ORDER BY id',
    seriesQuery: duckdbSeriesQuery,
    jsonQuery: duckdbJsonQuery,
    close: () => session.close(),
  };
});
