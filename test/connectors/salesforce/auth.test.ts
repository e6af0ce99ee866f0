import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/core/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { account, batch, openSession, tokenOptions } from './helpers.ts';

let sandbox: SalesforceSandbox;
let rootDir: string;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  sandbox = await startSalesforceSandbox();
  rootDir = await mkdtemp(join(tmpdir(), 'ebb-sf-auth-'));
  await mkdir(join(rootDir, 'keys'));
  await writeFile(join(rootDir, 'keys', 'sf.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(rootDir, 'keys', 'wrong.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  sandbox.registerClient({ clientId: 'jwt-app', jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), username: 'integration@acme.test' });
});
afterAll(async () => {
  await sandbox.close();
  await rm(rootDir, { recursive: true, force: true });
});
beforeEach(() => {
  sandbox.reset();
  Object.assign(sandbox.knobs, { tokenTtlQueries: null, rejectAllSessions: false });
});

const refreshOptions = () => ({ loginUrl: sandbox.url, clientId: 'sandbox-client', clientSecret: 'sandbox-secret', refreshToken: 'sandbox-refresh-token', bulkPollIntervalMs: 1 });
const jwtOptions = (keyFile = 'keys/sf.pem') => ({ loginUrl: sandbox.url, clientId: 'jwt-app', username: 'integration@acme.test', privateKeyPath: keyFile, bulkPollIntervalMs: 1 });
const context = () => ({ rootDir, sleep: async () => undefined });
const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => account(`${prefix}-${i}`));

describe.each([
  ['OAuth refresh token', 'refresh_token' as const, refreshOptions],
  ['JWT bearer', 'jwt_bearer' as const, () => jwtOptions()],
])('%s flow', (_name, grant, options) => {
  it('logs in at open, and renews a session that expires in the middle of a bulk job without losing a row', async () => {
    const session = await openSession(options(), context());
    expect(sandbox.stats().tokenGrants[grant]).toBe(1);
    // Each token now lasts 4 API calls; the 9-call bulk job outlives two of them.
    sandbox.knobs.tokenTtlQueries = 4;
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(300, grant)));
    expect(result.results.every((r) => r.status === 'ok')).toBe(true);
    expect(sandbox.records('Account')).toHaveLength(300);
    expect(sandbox.stats().sessionsRejected).toBe(2);
    expect(sandbox.stats().tokenGrants[grant]).toBe(3);
    // 9 calls plus the 2 refused ones that were repeated after renewal.
    expect(result.calls).toBe(11);
  });

  it('repeats the CSV upload intact when the session expires right before it', async () => {
    const session = await openSession(options(), context());
    sandbox.knobs.expireSessionsAt = 'PUT /jobs/ingest/{id}/batches';
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(250, `${grant}-one`)));
    expect(result.results.every((r) => r.status === 'ok')).toBe(true);
    expect(sandbox.stats().bulkJobSizes).toEqual([250]);
    expect(sandbox.stats().requests['PUT /jobs/ingest/{id}/batches']).toBe(2);
    expect(sandbox.records('Account')).toHaveLength(250);
  });

  it('renews once for several calls that hit the same expired session', async () => {
    const session = await openSession(options(), context());
    const before = sandbox.stats().tokenGrants[grant];
    sandbox.expireTokens();
    const results = await Promise.all([1, 2, 3].map((n) => session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(5, `${grant}-p${n}`)))));
    expect(results.flatMap((r) => r.results).every((r) => r.status === 'ok')).toBe(true);
    expect(sandbox.stats().tokenGrants[grant]).toBe(before + 1);
  });

  it('throws AuthError when the renewed session is refused too', async () => {
    const session = await openSession(options(), context());
    sandbox.knobs.rejectAllSessions = true;
    const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(2, grant))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/refused even after logging in again/);
    expect(sandbox.stats().sessionsRejected).toBe(2);
  });
});

describe('login failures', () => {
  it('a bare access token that expires is an AuthError that says how to let Ebb renew sessions', async () => {
    const session = await openSession(tokenOptions(sandbox));
    sandbox.expireTokens();
    const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(1, 'T'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/configure clientId \+ refreshToken or the JWT bearer flow/);
    expect(sandbox.stats().sessionsRejected).toBe(1);
    sandbox.reset();
  });

  it('a revoked refresh token is an AuthError carrying the OAuth error', async () => {
    const session = await openSession(refreshOptions(), context());
    sandbox.revokeRefreshTokens();
    sandbox.expireTokens();
    const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', rows(1, 'R'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/invalid_grant: expired access\/refresh token/);
  });

  it('a JWT signed with the wrong key, or a missing key file, fails at open with AuthError', async () => {
    await expect(openSession(jwtOptions('keys/wrong.pem'), context())).rejects.toThrow(/invalid_grant.*signature does not verify/);
    const missing = await openSession(jwtOptions('keys/absent.pem'), context()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AuthError);
    expect((missing as Error).message).toContain(join(rootDir, 'keys', 'absent.pem'));
  });
});
