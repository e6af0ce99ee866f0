import type { SourceDefinition } from '../source.ts';
import { postgresClientConfig, validatePostgresOptions } from './options.ts';
import { PostgresSourceSession } from './session.ts';

/**
 * Postgres (and wire-compatible warehouses) through pg and a server-side cursor. Options:
 * `connectionString` or host/port/user/password/database, and `ssl` (false | true |
 * { rejectUnauthorized?, ca? }). ReadOptions.queryTag becomes application_name and timeoutMs
 * becomes statement_timeout.
 */
export const postgresSource: SourceDefinition = {
  kind: 'postgres',
  validateOptions: validatePostgresOptions,
  open: async (options, context) => PostgresSourceSession.open(postgresClientConfig(options, context)),
};
