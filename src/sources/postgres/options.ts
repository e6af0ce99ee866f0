import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ClientConfig } from 'pg';
import { z } from 'zod';
import { describeError, SourceError } from '../../core/errors.ts';
import { describeIssues } from '../normalise/option-issues.ts';
import type { SourceContext } from '../source.ts';

const sslSchema = z.union([
  z.boolean(),
  z
    .object({
      /** Verify the server certificate (default true). */
      rejectUnauthorized: z.boolean().optional(),
      /** PEM file of the CA that signed the server certificate, relative to the project root. */
      ca: z.string().min(1).optional(),
    })
    .strict(),
], { error: 'expected false, true, or { rejectUnauthorized?: boolean, ca?: "path/to/ca.pem" }' });

const postgresOptionsSchema = z
  .object({
    connectionString: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number({ error: 'expected a port number such as 5432' }).int().min(1).max(65535).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    database: z.string().min(1).optional(),
    ssl: sslSchema.optional(),
    /** How long connecting may take, in ms (CONNECT_TIMEOUT_MS by default). */
    connectTimeoutMs: z.number({ error: 'expected milliseconds, such as 30000' }).int().positive().optional(),
  })
  .strict()
  .refine((options) => options.connectionString !== undefined || options.host !== undefined, {
    message: 'give either connectionString (postgres://user@host:5432/db) or host (with port, user, password, database)',
  })
  .refine((options) => !(options.connectionString !== undefined && [options.host, options.port, options.user, options.password, options.database].some((value) => value !== undefined)), {
    message: 'give either connectionString or host/port/user/password/database, not both',
  });

export type PostgresOptions = z.infer<typeof postgresOptionsSchema>;

export function validatePostgresOptions(options: Record<string, unknown>): string[] {
  const parsed = postgresOptionsSchema.safeParse(options);
  return parsed.success ? [] : describeIssues(parsed.error);
}

/** The pg client configuration; reads the CA file, so it runs when the session opens. */
export function postgresClientConfig(options: Record<string, unknown>, context: SourceContext): ClientConfig {
  const parsed = postgresOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SourceError(`invalid Postgres connection options: ${describeIssues(parsed.error).join('; ')}`, { code: 'SOURCE_INVALID_OPTIONS' });
  }
  const { ssl, connectTimeoutMs, ...connection } = parsed.data;
  return { ...connection, ssl: sslConfig(ssl, context), application_name: 'ebb', connectionTimeoutMillis: connectTimeoutMs ?? CONNECT_TIMEOUT_MS };
}

/**
 * How long connecting (TCP, TLS, authentication) may take. pg waits for ever by default, and a host that
 * accepts the connection and then says nothing (a proxy in front of a stopped server) would hold a run,
 * and a scheduler slot, until someone kills it; the sync's readTimeout only starts with the query.
 */
export const CONNECT_TIMEOUT_MS = 30_000;

function sslConfig(ssl: PostgresOptions['ssl'], context: SourceContext): ClientConfig['ssl'] {
  if (ssl === undefined || ssl === false) return false;
  if (ssl === true) return { rejectUnauthorized: true };
  return { rejectUnauthorized: ssl.rejectUnauthorized ?? true, ...(ssl.ca !== undefined ? { ca: readCa(ssl.ca, context) } : {}) };
}

function readCa(path: string, context: SourceContext): string {
  const absolute = isAbsolute(path) ? path : resolve(context.rootDir, path);
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new SourceError(`cannot read the Postgres CA certificate ssl.ca = ${absolute}: ${describeError(error)}\nHint: point ssl.ca at a PEM file (relative paths start at the project root).`, {
      cause: error,
      code: 'SOURCE_INVALID_OPTIONS',
    });
  }
}
