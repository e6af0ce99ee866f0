import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { intercomConnector } from '../../../src/connectors/intercom/index.ts';
import { RETRY_LATER } from '../../../src/connectors/intercom/run-batch.ts';
import { AuthError, TerminalError, TransientError } from '../../../src/core/errors.ts';
import { contactItem, contactsByExternalId, startRig, statuses, type IntercomRig } from './harness.ts';
import { systemClock } from '../../../src/engine/clock.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('intercom connector: failures', () => {
  let rig: IntercomRig;

  beforeAll(async () => {
    rig = await startRig({}, { maxConcurrent: 1, timeoutSeconds: 0.5 });
    await rig.apply('upsert', [contactItem('warm-up')]); // loads the schema, so counts below are record requests only
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.sandbox.setKnobs({ failNext: 0, failAfter: 0, delayMs: 0, rejectKeys: [] }));

  it('a malformed email fails that row with Intercom\'s code, message and field', async () => {
    const result = await rig.apply('upsert', [contactItem('e-1'), contactItem('e-2', { email: 'not-an-email' }), contactItem('e-3')]);

    expect(statuses(result)).toEqual(['ok', 'parameter_invalid', 'ok']);
    expect(result.results[1]).toEqual({
      status: 'failed',
      error: { code: 'parameter_invalid', message: 'email is not a valid email address', field: 'email' },
    });
    expect(contactsByExternalId(rig.sandbox).has('e-2')).toBe(false);
  });

  it('a wrong token is an AuthError that says what to check', async () => {
    const session = await intercomConnector.open({ ...rig.options, accessToken: 'revoked-token' }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const attempt = session.applyBatch({ object: 'contacts', operation: 'upsert', matchOn: 'external_id', items: [contactItem('a-1')] });
    await expect(attempt).rejects.toThrow(AuthError);
    await expect(attempt).rejects.toThrow(/401.*Access Token Invalid.*accessToken/);
    await session.close();
  });

  it('a 5xx before anything was delivered is thrown as TransientError, after exactly one request', async () => {
    rig.sandbox.failNext(1, 503);
    const before = rig.sandbox.stats().requests;

    const attempt = rig.apply('upsert', [contactItem('t-1'), contactItem('t-2')]);

    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    expect(rig.sandbox.stats().requests - before).toBe(1); // intercom-client's own retries are off
    expect(contactsByExternalId(rig.sandbox).has('t-1')).toBe(false);
  });

  it('a 5xx after some records were delivered keeps their acknowledgement and hands the rest back', async () => {
    rig.sandbox.failNext(1, 500, 2); // the first record's search + create succeed, then a 500
    const result = await rig.apply('upsert', [contactItem('p-1'), contactItem('p-2'), contactItem('p-3')]);

    expect(statuses(result)).toEqual(['ok', RETRY_LATER, RETRY_LATER]);
    expect(result.rateLimitedMs).toBeUndefined(); // a 500 asks for no wait: the engine's backoff applies
    const second = result.results[1];
    expect(second?.status === 'failed' && second.error.message).toMatch(/500/);
    expect([...contactsByExternalId(rig.sandbox).keys()]).toContain('p-1');
  });

  it('a request that outlives timeoutSeconds is a TransientError', async () => {
    rig.sandbox.setKnobs({ delayMs: 1_500 });
    const attempt = rig.apply('upsert', [contactItem('slow-1')]);
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    await expect(attempt).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('an unreachable host is a TransientError', async () => {
    const session = await intercomConnector.open({ ...rig.options, baseUrl: `http://127.0.0.1:${await closedPort()}` }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const attempt = session.applyBatch({ object: 'contacts', operation: 'upsert', matchOn: 'external_id', items: [contactItem('n-1')] });
    await expect(attempt).rejects.toMatchObject({ name: 'TransientError', code: 'NETWORK' });
    await session.close();
  });

  it('the forced-rejection knob fails just that row', async () => {
    rig.sandbox.setKnobs({ rejectKeys: ['r-2'] });
    const result = await rig.apply('upsert', [contactItem('r-1'), contactItem('r-2')]);
    expect(statuses(result)).toEqual(['ok', 'parameter_invalid']);
  });

  it('refuses an unknown object or a matchOn other than external_id / company_id', async () => {
    expect(() => intercomConnector.capabilities('tickets', rig.options)).toThrow(/contacts, companies/);
    await expect(rig.session.applyBatch({ object: 'contacts', operation: 'upsert', matchOn: 'email', items: [contactItem('m-1')] })).rejects.toThrow(
      TerminalError,
    );
  });

  it('validates options with messages that say what to set', () => {
    expect(intercomConnector.validateOptions({})).toEqual([expect.stringMatching(/accessToken is required/)]);
    expect(intercomConnector.validateOptions({ accessToken: 't', baseUrl: 'ftp://x', maxConcurrent: 0, role: 'admin', requestsPer10s: -1 })).toHaveLength(4);
    // Config validation sees secret references unresolved: they count as values.
    expect(intercomConnector.validateOptions({ accessToken: { $env: 'INTERCOM_ACCESS_TOKEN' } })).toEqual([]);
    expect(intercomConnector.accountKey({ accessToken: { $env: 'INTERCOM_ACCESS_TOKEN' } })).toMatch(/^intercom:https:\/\/api\.intercom\.io:/);
    expect(intercomConnector.rateBudget({ accessToken: 't' })).toEqual({ requests: 1_600, windowMs: 10_000, maxConcurrent: 10 });
    expect(intercomConnector.rateBudget({ requestsPer10s: 800, maxConcurrent: 4 })).toEqual({ requests: 800, windowMs: 10_000, maxConcurrent: 4 });
    const key = intercomConnector.accountKey({ accessToken: 'secret-token-123' });
    expect(key).toMatch(/^intercom:https:\/\/api\.intercom\.io:[0-9a-f]{16}$/);
    expect(key).not.toContain('secret-token-123');
  });
});
