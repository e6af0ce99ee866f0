import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { duckdbSource } from '../../src/sources/duckdb/index.ts';
import { DUCKDB_FIXTURE_SQL as FIXTURE_SQL } from './duckdb-fixture-sql.ts';
import { describeSourceContract, type SourceHarness } from './source-contract.ts';


let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebb-duckdb-contract-'));
  const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  const connection = await instance.connect();
  await connection.run(FIXTURE_SQL);
  connection.closeSync();
  instance.closeSync();
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
    seriesQuery: (n) => `
      SELECT i::INTEGER AS id, 'customer ' || i AS name, (i * 1.25)::DECIMAL(12,2) AS amount,
             TIMESTAMP '2024-01-01' + i * INTERVAL 1 SECOND AS created_at
      FROM range(1, ${n} + 1) AS t(i)`,
    close: () => session.close(),
  };
});
