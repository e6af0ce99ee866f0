import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, readAll, startEmulator, writeEncryptedKeyPair } from './harness.ts';

describe('Snowflake source: logging in', () => {
  let emulator: SnowflakeEmulator;
  const keys = writeEncryptedKeyPair('key passphrase 42');

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.addUser({ name: 'EBB_SERVICE', publicKeyPem: keys.publicKeyPem });
    emulator.addUser({ name: 'oauth_user', oauthToken: 'oauth-access-token-1' });
  });
  afterAll(async () => {
    await emulator.close();
    keys.cleanup();
  });

  it('logs in with a password, runs a query, and closes the server-side session', async () => {
    const before = { ...emulator.counters };
    const session = await openSource(passwordOptions(emulator));
    const batches = await readAll(session, 'SELECT 42 AS answer');
    await session.close();
    await session.close();
    expect(batches).toEqual([[{ answer: 42 }]]);
    expect(emulator.counters.logins - before.logins).toBe(1);
    expect(emulator.counters.sessionsClosed - before.sessionsClosed).toBe(1);
  });

  it('logs in with an encrypted key pair (JWT signed by the key, verified against the registered public key)', async () => {
    const loginsBefore = emulator.counters.logins;
    const session = await openSource(
      { account: emulator.account, username: 'ebb_service', accessUrl: emulator.url, privateKeyPath: keys.keyFile, privateKeyPassphrase: 'key passphrase 42' },
      keys.dir,
    );
    try {
      expect(await readAll(session, "SELECT 'signed in' AS status")).toEqual([[{ status: 'signed in' }]]);
      expect(emulator.counters.logins).toBe(loginsBefore + 1);
      expect(emulator.queries.at(-1)?.user).toBe('EBB_SERVICE');
    } finally {
      await session.close();
    }
  });

  it('refuses a key pair whose public key is not the registered one', async () => {
    const other = writeEncryptedKeyPair('other');
    try {
      const attempt = openSource(
        { account: emulator.account, username: 'ebb_service', accessUrl: emulator.url, privateKeyPath: other.keyFile, privateKeyPassphrase: 'other' },
        other.dir,
      );
      const error = await attempt.then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('SNOWFLAKE_AUTH');
      expect((error as Error).message).toMatch(/390144/);
      expect((error as Error).message).toMatch(/RSA_PUBLIC_KEY/);
    } finally {
      other.cleanup();
    }
  });

  it('says which option to fix when the key passphrase is wrong, before any login is attempted', async () => {
    const failedBefore = emulator.counters.failedLogins;
    const attempt = openSource(
      { account: emulator.account, username: 'ebb_service', accessUrl: emulator.url, privateKeyPath: keys.keyFile, privateKeyPassphrase: 'wrong' },
      keys.dir,
    );
    await expect(attempt).rejects.toMatchObject({ code: 'SNOWFLAKE_AUTH', message: expect.stringMatching(/privateKeyPassphrase/) });
    expect(emulator.counters.failedLogins).toBe(failedBefore);
  });

  it('reports a missing key file with the resolved path', async () => {
    const attempt = openSource({ account: emulator.account, username: 'ebb_service', accessUrl: emulator.url, privateKeyPath: 'keys/missing.p8' }, keys.dir);
    await expect(attempt).rejects.toMatchObject({ code: 'SOURCE_INVALID_OPTIONS', message: expect.stringContaining(`${keys.dir}/keys/missing.p8`) });
  });

  it('logs in with an OAuth token', async () => {
    const session = await openSource({ account: emulator.account, username: 'oauth_user', accessUrl: emulator.url, token: 'oauth-access-token-1' });
    try {
      expect(await readAll(session, 'SELECT 1 AS one')).toEqual([[{ one: 1 }]]);
    } finally {
      await session.close();
    }
  });

  it('turns a wrong password into an auth error that names the credential to check', async () => {
    const failedBefore = emulator.counters.failedLogins;
    const attempt = openSource(passwordOptions(emulator, { password: 'wrong' }));
    const error = await attempt.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'SNOWFLAKE_AUTH' });
    expect((error as Error).message).toContain('Incorrect username or password was specified.');
    expect((error as Error).message).toContain('`password`');
    expect((error as Error).message).toContain('user ebb_tester on account ebbtest');
    // A wrong password is not retried: exactly one refused attempt reached the server.
    expect(emulator.counters.failedLogins).toBe(failedBefore + 1);
  });

  it('turns an unreachable host into a SourceError that names the host', async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const started = Date.now();
    const attempt = openSource(passwordOptions(emulator, { accessUrl: url }));
    await expect(attempt).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE', message: expect.stringContaining(`${url} was unreachable`) });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
