import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubspotSandbox, type HubspotSandbox } from '../../../src/sandbox/hubspot/index.ts';

/** One raw call, as any HubSpot client would make it. */
async function readContacts(sandbox: HubspotSandbox, token: string): Promise<Response> {
  return fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/read`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [], properties: [], propertiesWithHistory: [] }),
  });
}

describe('hubspot sandbox: per-token limits', () => {
  let sandbox: HubspotSandbox;
  beforeAll(async () => {
    sandbox = await startHubspotSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.resetLimits());

  it('counts requests over a ROLLING window, not a bucket that empties on the boundary', async () => {
    sandbox.setKnobs({ requestsPer10s: 3, windowMs: 2_000, dailyLimit: 1_000 });
    const statuses: number[] = [];
    const call = async () => statuses.push((await readContacts(sandbox, 'rolling')).status);
    await call();
    await call();
    await sleep(1_000);
    await call(); // t≈1.0 s: the third request in the window
    await call(); // refused
    await sleep(1_100);
    // t≈2.1 s: the first two left the window, the one from t≈1.0 s has not, so exactly two fit.
    await call();
    await call();
    await call();
    expect(statuses).toEqual([200, 200, 200, 429, 200, 200, 429]);
  });

  it('sends the real headers and 429 body for TEN_SECONDLY_ROLLING; refused calls do not count', async () => {
    sandbox.setKnobs({ requestsPer10s: 2, windowMs: 10_000, dailyLimit: 1_000 });
    const first = await readContacts(sandbox, 'headers');
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.fromEntries([...first.headers].filter(([name]) => name.startsWith('x-hubspot')))).toEqual({
      'x-hubspot-ratelimit-max': '2',
      'x-hubspot-ratelimit-remaining': '1',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '1000',
      'x-hubspot-ratelimit-daily-remaining': '999',
    });
    await readContacts(sandbox, 'headers');
    for (let i = 0; i < 3; i++) {
      const refused = await readContacts(sandbox, 'headers');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('998');
      expect(refused.headers.get('retry-after')).toBeNull();
      expect(await refused.json()).toMatchObject({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        correlationId: expect.any(String),
      });
    }
    expect(sandbox.stats().rateLimited.TEN_SECONDLY_ROLLING).toBeGreaterThanOrEqual(3);
  });

  it('stops a token at its daily limit with policy DAILY until the limits reset; other tokens are separate', async () => {
    sandbox.setKnobs({ requestsPer10s: 100, windowMs: 10_000, dailyLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await readContacts(sandbox, 'daily-a')).status).toBe(200);
    const refused = await readContacts(sandbox, 'daily-a');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    expect(await refused.json()).toMatchObject({ message: 'You have reached your daily limit.', policyName: 'DAILY' });
    expect((await readContacts(sandbox, 'daily-b')).status).toBe(200);
    sandbox.resetLimits();
    expect((await readContacts(sandbox, 'daily-a')).status).toBe(200);
  });

  it('answers 401 to tokens it was not given, and 403 MISSING_SCOPES when scopes are withheld', async () => {
    const strict = await startHubspotSandbox({ tokens: ['pat-good'] });
    try {
      const denied = await readContacts(strict, 'pat-bad');
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      const anonymous = await fetch(`${strict.url}/crm/v3/properties/contacts`);
      expect(anonymous.status).toBe(401);
      strict.setKnobs({ missingScopes: ['crm.objects.contacts.write'] });
      const forbidden = await readContacts(strict, 'pat-good');
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toMatchObject({
        category: 'MISSING_SCOPES',
        errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
      });
    } finally {
      await strict.close();
    }
  });
});
