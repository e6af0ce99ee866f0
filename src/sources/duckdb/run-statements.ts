import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs SQL against a DuckDB file and closes it, so a source can open it next. For building warehouses
 * (the demo's, tests') — the source itself only reads.
 */
export async function runDuckdbStatements(path: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
