import { DatabaseError } from 'pg';
import { describeError, SourceError } from '../../core/errors.ts';
import { sqlIdentifier, sqlString, type JsonAsText } from '../normalise/json.ts';

/** What to do next, by SQLSTATE (exact code first, then its two-character class). */
const HINTS: Readonly<Record<string, string>> = {
  '57014': 'the query ran longer than the sync\'s readTimeout (statement_timeout); raise `readTimeout` on the sync or in `defaults`, or make the model query cheaper',
  '42P01': 'a table or view in the query does not exist; check its name and schema (search_path)',
  '42703': 'a column in the query does not exist; check the column names',
  '42601': 'the query is not valid Postgres SQL',
  '42501': "the connection's user may not read a table in the query; GRANT SELECT to it",
  '3D000': 'the database in the connection options does not exist',
  '28P01': 'the password was rejected; check user and password',
  '28000': 'the server refused this user; check pg_hba.conf and the user name',
  '53300': 'the server has no free connection slots; retry later or raise max_connections',
  '08': 'the connection to Postgres failed; check host, port and network',
  '22': 'a value in the data cannot be converted as the query asks; add a CAST or filter the row',
  '57': 'the server cancelled or shut down the query; retry',
};

const NETWORK_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/ECONNREFUSED/, 'nothing is listening at that host and port: check that Postgres runs there and accepts TCP connections'],
  [/ENOTFOUND|EAI_AGAIN/, 'the host name does not resolve; check host / connectionString'],
  [/ETIMEDOUT|timeout expired/i, 'the server did not answer in time; check host, port and firewalls'],
  [/does not support SSL/i, 'the server does not accept TLS; set ssl: false (or enable ssl on the server)'],
  [/self[- ]signed|unable to verify|certificate/i, 'the server certificate is not trusted; point ssl.ca at the CA file, or set ssl.rejectUnauthorized: false for testing only'],
  [/Connection terminated/i, 'the server closed the connection; check its logs'],
];

/**
 * A pg failure as a SourceError. Server errors keep their SQLSTATE as the code, so callers can
 * tell a timeout (57014) from a missing table (42P01); client-side failures get SOURCE_CONNECTION.
 */
export function postgresError(error: unknown, doing: string): SourceError {
  if (error instanceof SourceError) return error;
  if (error instanceof DatabaseError && error.code) {
    const code = error.code;
    const details = [error.detail && `Detail: ${error.detail}`, error.hint && `Postgres hint: ${error.hint}`].filter(Boolean);
    const hint = HINTS[code] ?? HINTS[code.slice(0, 2)] ?? 'check the query';
    return new SourceError([`Postgres error ${code} ${doing}: ${error.message}`, ...details, `Hint: ${hint}.`].join('\n'), { cause: error, code });
  }
  const message = describeError(error) || String((error as { code?: unknown })?.code ?? 'unknown error');
  const hint = NETWORK_HINTS.find(([pattern]) => pattern.test(message) || pattern.test(String((error as { code?: unknown })?.code)))?.[1] ?? 'check the Postgres connection options';
  return new SourceError(`Postgres failed ${doing}: ${message}\nHint: ${hint}.`, { cause: error, code: 'SOURCE_CONNECTION' });
}

/** json keeps its text and jsonb its numbers as numeric: both print every digit as text. */
export const POSTGRES_JSON_AS_TEXT: JsonAsText = {
  document: (column) => `${sqlIdentifier(column)}::text`,
  field: (column, inexact) => {
    const steps = inexact.path.map((step, index) => `${index === inexact.path.length - 1 ? '->>' : '->'}${typeof step === 'number' ? step : sqlString(step)}`);
    return `${sqlIdentifier(column)}${steps.join('')}`;
  },
};
