import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { duckdbSource } from '../../src/sources/duckdb/index.ts';
import { runDuckdbStatements } from '../../src/sources/duckdb/run-statements.ts';
import { DUCKDB_FIXTURE_SQL as FIXTURE_SQL, duckdbJsonQuery, duckdbSeriesQuery } from './duckdb-fixture-sql.ts';
import { describeSourceContract, type SourceHarness } from './source-contract.ts';


let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebb-duckdb-contract-'));
  await runDuckdbStatements(join(dir, 'warehouse.duckdb'), [FIXTURE_SQL]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeSourceContract('duckdb', async (): Promise<SourceHarness> => {
  // A relative path, read-only by default: the way a project points at its warehouse file.
  const session = await duckdbSource.open({ path: 'warehouse.duckdb' }, { rootDir: dir });
  return {
    session,
    fixtureQuery: 'SELECT * FROM contract_fixture ORDER BY id',
    seriesQuery: duckdbSeriesQuery,
    jsonQuery: duckdbJsonQuery,
    close: () => session.close(),
  };
});
