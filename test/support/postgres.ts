import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local test server: trust auth on loopback, database `test`. */
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function canConnect(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks the local server answers, starting the cluster if it does not. */
export async function ensurePostgres(): Promise<void> {
  if (await canConnect()) return;
  execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', { stdio: 'ignore', shell: '/bin/sh' });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await canConnect()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Postgres did not come up at ${POSTGRES_URL} after pg_ctlcluster start`);
}

export interface TestSchema {
  /** Unique per test file, safe to interpolate unquoted. */
  name: string;
  /** Runs SQL as the admin connection (fixtures, pg_stat_activity checks). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<T>>;
  /** Drops the schema and everything in it, and closes the admin connection. */
  drop(): Promise<void>;
}

/** A fresh schema for one test file, so parallel test files never see each other's tables. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  await ensurePostgres();
  const name = `ebb_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    query: (sql, values) => admin.query(sql, values),
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
