import { describeError, SourceError } from '../../core/errors.ts';
import { sqlIdentifier, sqlString, type JsonAsText } from '../normalise/json.ts';

/** What to do next, keyed by what DuckDB's message says went wrong. */
const HINTS: ReadonlyArray<[RegExp, string]> = [
  [/does not exist|No such file|Cannot open file/i, 'check `path` in the DuckDB connection options (relative paths start at the project root)'],
  [/Could not set lock|Conflicting lock/i, 'another process has the DuckDB file open for writing; close it, or have every reader open the file read-only'],
  [/read-only mode|read-only database|attached in read-only/i, 'DuckDB files open read-only by default so a plan never writes the warehouse; set `readOnly: false` if init SQL or the query must write'],
  [/^Catalog Error/i, 'a table, view or schema named in the query does not exist in this DuckDB database'],
  [/^Binder Error/i, 'a column or function in the query does not exist or is used with the wrong types'],
  [/^Parser Error/i, 'the query is not valid DuckDB SQL'],
  [/^Conversion Error|^Invalid Input Error|^Out of Range Error/i, 'a value in the data cannot be converted as the query asks; add a CAST or TRY_CAST'],
  [/^Out of Memory Error/i, 'set a higher memory_limit in `init` (SET memory_limit = ...) or reduce the query'],
];

export function duckdbError(error: unknown, doing: string, options: { code?: string } = {}): SourceError {
  const message = describeError(error).trim();
  const hint = HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? 'check the query and the DuckDB connection options';
  return new SourceError(`DuckDB failed ${doing}: ${message}\nHint: ${hint}.`, { cause: error, code: options.code ?? 'SOURCE_QUERY' });
}

export function duckdbTimeoutError(timeoutMs: number, error: unknown): SourceError {
  return new SourceError(
    `DuckDB query cancelled after ${timeoutMs} ms (the sync's readTimeout): ${describeError(error)}\nHint: raise \`readTimeout\` on the sync or in \`defaults\`, or make the model query cheaper.`,
    { cause: error, code: 'SOURCE_TIMEOUT' },
  );
}

/**
 * DuckDB keeps a JSON value's text as it was written, so `::VARCHAR` is exact; `->>` is exact for
 * integers only (it reads decimals as doubles), and reads keys starting with `$` or `/` as paths.
 */
export const DUCKDB_JSON_AS_TEXT: JsonAsText = {
  document: (column) => `${sqlIdentifier(column, PLAIN_NAME)}::VARCHAR`,
  field: (column, inexact) => {
    if (!inexact.isInteger || inexact.path.some((step) => typeof step === 'string' && /^[$/]/.test(step))) return undefined;
    const steps = inexact.path.map((step, index) => `${index === inexact.path.length - 1 ? '->>' : '->'}${typeof step === 'number' ? step : sqlString(step)}`);
    return `${sqlIdentifier(column, PLAIN_NAME)}${steps.join('')}`;
  },
};

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
