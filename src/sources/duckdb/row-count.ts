import type { DuckDBConnection } from '@duckdb/node-api';
import { describeError, SourceError } from '../../core/errors.ts';
import { duckdbError } from './errors.ts';

/**
 * DuckDB's Node client ends a streaming result the same way whether every row came or the query
 * failed part-way (a conversion error, out of memory, an interrupt): the C API's fetch returns NULL
 * for both and the client never reads the error. A model cut short would plan its missing rows as
 * untouched, or in mirror mode as deleted. So a read first counts the query's rows, in the same
 * transaction as the stream, and a stream that delivers a different number is an error.
 *
 * Counting costs little: DuckDB computes only what the count needs (a million rows: about 5 ms for
 * a table scan, 25 ms with a join and an aggregate), and sends nothing to JavaScript.
 */
export async function countQueryRows(connection: DuckDBConnection, query: string): Promise<number> {
  let counted;
  try {
    counted = await connection.runAndReadAll(countingSql(query));
  } catch (error) {
    throw await whyNotCountable(connection, query, error);
  }
  return Number(counted.getRows()[0]![0]);
}

/** For `ebb validate`: a query that cannot be read because its rows cannot be counted fails here, without running. */
export async function assertCountable(connection: DuckDBConnection, query: string): Promise<void> {
  try {
    const prepared = await connection.prepare(countingSql(query));
    prepared.destroySync();
  } catch (error) {
    throw await whyNotCountable(connection, query, error);
  }
}

/**
 * The stream delivered `received` rows where the count said `expected`. Evaluating every column of
 * every row, without sending any, usually raises the error DuckDB kept to itself.
 */
export async function shortResultError(connection: DuckDBConnection, query: string, received: number, expected: number): Promise<SourceError> {
  const shortBy = `DuckDB's result ended after ${received} of the query's ${expected} rows`;
  try {
    await connection.run(`SELECT count(hash(ebb_row)) FROM (\n${asSubquery(query)}\n) AS ebb_row`);
  } catch (error) {
    return duckdbError(error, `while streaming the query result (${shortBy})`);
  }
  const cause =
    received < expected
      ? 'DuckDB stopped the query without giving a reason; running out of memory is the usual one.\nHint: raise memory_limit in `init` (SET memory_limit = ...) or make the query cheaper, then plan again. Nothing was planned from the partial result.'
      : 'the query returns different rows each time it runs (random(), USING SAMPLE, a file that changed).\nHint: make the model query deterministic, then plan again.';
  return new SourceError(`${shortBy}: ${cause}`, { code: 'SOURCE_QUERY' });
}

/** A query that fails as a subquery either fails on its own (say so as DuckDB does) or cannot be counted. */
async function whyNotCountable(connection: DuckDBConnection, query: string, countError: unknown): Promise<SourceError> {
  try {
    const prepared = await connection.prepare(query);
    prepared.destroySync();
  } catch (error) {
    return duckdbError(error, 'to run the query');
  }
  if (!/^Parser Error/i.test(describeError(countError))) return duckdbError(countError, 'to run the query');
  return new SourceError(
    `DuckDB cannot count the rows of this query as \`SELECT count(*) FROM (query)\`: ${describeError(countError).trim()}\nHint: Ebb counts every model's rows to prove DuckDB returned all of them; write the model as one SELECT (or FROM, WITH, PIVOT, SUMMARIZE ...) query, without a statement after it.`,
    { cause: countError, code: 'SOURCE_QUERY' },
  );
}

function countingSql(query: string): string {
  return `SELECT count(*) FROM (\n${asSubquery(query)}\n)`;
}

/** Trailing semicolons end a statement, which a subquery cannot hold. */
function asSubquery(query: string): string {
  return query.replace(/[\s;]+$/, '');
}
