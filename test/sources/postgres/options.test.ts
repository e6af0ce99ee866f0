import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import { postgresSource } from '../../../src/sources/postgres/index.ts';
import { ensurePostgres, POSTGRES_URL } from '../../support/postgres.ts';

const { validateOptions } = postgresSource;

describe('postgres source: options', () => {
  let dir: string;
  let serverSsl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ebb-pg-options-'));
    // Not a real CA: only its readability matters before the TLS handshake is attempted.
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    await ensurePostgres();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    serverSsl = (await client.query<{ ssl: string }>('SHOW ssl')).rows[0]?.ssl ?? 'off';
    await client.end();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a connection string or discrete fields, with every ssl form', () => {
    expect(validateOptions({ connectionString: POSTGRES_URL })).toEqual([]);
    expect(validateOptions({ host: 'db.internal', port: 6432, user: 'ebb', password: 's3cret', database: 'analytics' })).toEqual([]);
    expect(validateOptions({ connectionString: POSTGRES_URL, ssl: false })).toEqual([]);
    expect(validateOptions({ connectionString: POSTGRES_URL, ssl: true })).toEqual([]);
    expect(validateOptions({ connectionString: POSTGRES_URL, ssl: { rejectUnauthorized: false } })).toEqual([]);
    expect(validateOptions({ connectionString: POSTGRES_URL, ssl: { ca: 'certs/ca.pem' } })).toEqual([]);
  });

  it('says what is missing or contradictory', () => {
    expect(validateOptions({})).toEqual([expect.stringContaining('give either connectionString')]);
    expect(validateOptions({ connectionString: POSTGRES_URL, host: 'other' })).toEqual([expect.stringContaining('not both')]);
    expect(validateOptions({ host: 'db', port: 70000 })).toEqual([expect.stringMatching(/^port: /)]);
    expect(validateOptions({ host: 'db', databse: 'typo' })).toEqual([expect.stringContaining('databse')]);
  });

  it('rejects ssl values that are neither a boolean nor { rejectUnauthorized?, ca? }', () => {
    for (const ssl of ['require', 1, null, { rejectUnauthorized: 'no' }, { ca: 42 }, { ca: '' }, { cert: 'client.pem' }]) {
      const problems = validateOptions({ connectionString: POSTGRES_URL, ssl });
      expect(problems, JSON.stringify(ssl)).toHaveLength(1);
      expect(problems[0], JSON.stringify(ssl)).toMatch(/^ssl/);
    }
  });

  it('refuses to open with invalid options, listing the problems', async () => {
    const error = await postgresSource.open({ host: 'db', ssl: 'require' }, { rootDir: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_INVALID_OPTIONS');
    expect((error as SourceError).message).toMatch(/invalid Postgres connection options: ssl/);
  });

  it('reads ssl.ca relative to the project root and names the file when it is missing', async () => {
    const error = await postgresSource.open({ connectionString: POSTGRES_URL, ssl: { ca: 'certs/missing.pem' } }, { rootDir: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_INVALID_OPTIONS');
    expect((error as SourceError).message).toContain(join(dir, 'certs/missing.pem'));
  });

  it('negotiates TLS when ssl is set, and explains a server that does not offer it', async () => {
    for (const ssl of [true, { rejectUnauthorized: true, ca: 'ca.pem' }]) {
      const outcome = await postgresSource.open({ connectionString: POSTGRES_URL, ssl }, { rootDir: dir }).catch((caught: unknown) => caught);
      if (serverSsl === 'off') {
        expect(outcome, JSON.stringify(ssl)).toBeInstanceOf(SourceError);
        expect((outcome as SourceError).code).toBe('SOURCE_CONNECTION');
        expect((outcome as SourceError).message).toMatch(/does not support SSL[\s\S]*Hint: the server does not accept TLS; set ssl: false/);
      } else {
        // A TLS server with a certificate our dummy CA cannot have signed: verification must fail.
        expect(outcome, JSON.stringify(ssl)).toBeInstanceOf(SourceError);
        expect((outcome as SourceError).message).toMatch(/certificate|self[- ]signed|verify/i);
      }
    }
  });
});
