import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JWT_BEARER_GRANT, startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';

let sandbox: SalesforceSandbox;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({
    dailyAllocation: 1_000,
    oauthClients: [{ clientId: 'jwt-app', jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), username: 'int@acme.test' }],
  });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json', ...init.headers } });
const admin = (path: string, body?: unknown) =>
  fetch(`${sandbox.url}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);

function assertion(claims: Record<string, unknown>, alg = 'RS256'): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ alg })}.${part(claims)}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}
const token = (form: Record<string, string>) =>
  fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

describe('Sforce-Limit-Info and the daily allocation', () => {
  it('reports usage on every API response, errors included, and refuses calls once the allocation is spent', async () => {
    const ok = await api('/sobjects/Account/describe');
    expect(ok.headers.get('sforce-limit-info')).toBe('api-usage=1/1000');
    sandbox.knobs.failNextCalls = 1;
    const failed = await api('/limits');
    expect(failed.status).toBe(500);
    expect(failed.headers.get('sforce-limit-info')).toBe('api-usage=2/1000');
    sandbox.setApiUsage(1_000);
    const refused = await api('/limits');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=1000/1000');
  });

  it('expires a token after tokenTtlQueries calls with 401 INVALID_SESSION_ID', async () => {
    const issued = (await (await token({ grant_type: 'refresh_token', client_id: 'sandbox-client', client_secret: 'sandbox-secret', refresh_token: 'sandbox-refresh-token' })).json()) as { access_token: string };
    sandbox.knobs.tokenTtlQueries = 2;
    const call = () => fetch(`${sandbox.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${issued.access_token}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    sandbox.knobs.tokenTtlQueries = null;
  });
});

describe('OAuth token endpoint', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('issues a token for a JWT signed by the registered key, for the right user and audience', async () => {
    const res = await token({ grant_type: JWT_BEARER_GRANT, assertion: assertion({ iss: 'jwt-app', sub: 'int@acme.test', aud: sandbox.url, exp: now() + 120 }) });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body['instance_url']).toBe(sandbox.url);
    const use = await fetch(`${sandbox.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${body['access_token']}` } });
    expect(use.status).toBe(200);
  });

  it.each([
    ['an expired assertion', { exp: now() - 10 }, 'invalid assertion: expired JWT'],
    ['a foreign audience', { aud: 'https://evil.example' }, 'audience is invalid'],
    ['another user', { sub: 'someone@else.test' }, "user hasn't approved this consumer"],
    ['an unknown app', { iss: 'other-app' }, 'client identifier invalid'],
  ])('refuses %s', async (_name, override, description) => {
    const claims = { iss: 'jwt-app', sub: 'int@acme.test', aud: sandbox.url, exp: now() + 120, ...override };
    const res = await token({ grant_type: JWT_BEARER_GRANT, assertion: assertion(claims) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toBe(description);
  });

  it('refuses a tampered assertion and a wrong client secret', async () => {
    const good = assertion({ iss: 'jwt-app', sub: 'int@acme.test', aud: sandbox.url, exp: now() + 120 });
    const [h, , s] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: 'jwt-app', sub: 'int@acme.test', aud: sandbox.url, exp: now() + 9_999 })).toString('base64url')}.${s}`;
    expect(((await (await token({ grant_type: JWT_BEARER_GRANT, assertion: forged })).json()) as { error: string }).error).toBe('invalid_grant');
    const wrong = await token({ grant_type: 'refresh_token', client_id: 'sandbox-client', client_secret: 'nope', refresh_token: 'sandbox-refresh-token' });
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('/__sandbox/ read-back and knobs over HTTP', () => {
  it('serves records, stats and knobs, and applies knobs sent by another process', async () => {
    const upsert = await api('/composite/sobjects/Account/External_Id__c', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'Account' }, External_Id__c: 'H-1', Name: 'Over HTTP' }] }),
    });
    expect(await upsert.json()).toEqual([{ id: expect.stringMatching(/^001/), success: true, errors: [], created: true }]);
    expect(await admin('records/Account')).toEqual([expect.objectContaining({ External_Id__c: 'H-1', Name: 'Over HTTP' })]);
    const stats = await admin('stats');
    expect(stats['requests']).toEqual({ 'PATCH /composite/sobjects/{type}/{field}': 1 });
    expect(stats['collectionSizes']).toEqual([1]);
    expect(stats['apiUsage']).toEqual({ used: 1, limit: 1_000 });

    await admin('knobs', { rejectRowKeys: { 'H-2': { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no', fields: [] } } });
    const rejected = await api('/composite/sobjects/Account/External_Id__c', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'Account' }, External_Id__c: 'H-2', Name: 'x' }] }),
    });
    expect(await rejected.json()).toEqual([{ success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no', fields: [] }] }]);
    sandbox.knobs.rejectRowKeys = {};

    await admin('api-usage', { used: 999 });
    expect(sandbox.apiUsage().used).toBe(999);
    await admin('expire-tokens', {});
    expect((await api('/limits')).status).toBe(401);
  });
});
