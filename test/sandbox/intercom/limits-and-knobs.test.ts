import { setTimeout as sleep } from 'node:timers/promises';
import { IntercomClient, type IntercomError } from 'intercom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startIntercomSandbox, type IntercomSandbox } from '../../../src/sandbox/intercom/index.ts';

describe('intercom sandbox: rate window, token, knobs and HTTP read-back', () => {
  let sandbox: IntercomSandbox;
  let ic: IntercomClient;

  beforeAll(async () => {
    sandbox = await startIntercomSandbox({ requestsPer10s: 3, windowMs: 1_000 });
    ic = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, maxRetries: 0, timeoutInSeconds: 0.3 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    sandbox.setKnobs({ delayMs: 0, failNext: 0, failAfter: 0, retryAfterOn429: false, requestsPerWindow: 3, windowMs: 1_000 });
  });

  it('counts requests per window, reports X-RateLimit-* on every answer, and 429s past the limit', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { rawResponse } = await ic.dataAttributes.list({ model: 'contact' }).withRawResponse();
      expect(rawResponse.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(rawResponse.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = (await ic.dataAttributes.list({ model: 'contact' }).catch((e: unknown) => e)) as IntercomError;
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toMatchObject({ type: 'error.list', errors: [{ code: 'rate_limit_exceeded' }] });
    const resetMs = Number(limited.rawResponse?.headers.get('x-ratelimit-reset')) * 1000;
    expect(resetMs - Date.now()).toBeGreaterThan(0);
    expect(resetMs - Date.now()).toBeLessThanOrEqual(2_000);
    expect(limited.rawResponse?.headers.get('retry-after')).toBeNull();
    expect(sandbox.stats().rateLimited).toBe(1);

    await sleep(Math.max(0, resetMs - Date.now()) + 10);
    await expect(ic.dataAttributes.list({ model: 'contact' })).resolves.toBeDefined();
  });

  it('sends Retry-After on 429s when the knob asks for it', async () => {
    sandbox.setKnobs({ retryAfterOn429: true, requestsPerWindow: 1, windowMs: 3_000 });
    await ic.dataAttributes.list();
    const limited = (await ic.dataAttributes.list().catch((e: unknown) => e)) as IntercomError;
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.rawResponse?.headers.get('retry-after'))).toBeGreaterThanOrEqual(2);
  });

  it('rejects a wrong token with 401 without spending the window', async () => {
    const stranger = new IntercomClient({ token: 'wrong', baseUrl: sandbox.url, maxRetries: 0 });
    const error = (await stranger.contacts.find({ contact_id: 'x' }).catch((e: unknown) => e)) as IntercomError;
    expect(error.constructor.name).toBe('UnauthorizedError');
    expect(error.statusCode).toBe(401);
    expect(error.body).toMatchObject({ errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] });
    const { rawResponse } = await ic.dataAttributes.list().withRawResponse();
    expect(rawResponse.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('injects failures after N good requests, and delays answers', async () => {
    sandbox.setKnobs({ requestsPerWindow: 100 });
    sandbox.failNext(2, 502, 1);
    const outcomes: Array<number | 'ok'> = [];
    for (let i = 0; i < 4; i++) outcomes.push(await ic.dataAttributes.list().then(() => 'ok' as const, (e: unknown) => (e as IntercomError).statusCode ?? 0));
    expect(outcomes).toEqual(['ok', 502, 502, 'ok']);
    expect(sandbox.stats().injectedFailures).toBe(2);

    sandbox.setKnobs({ delayMs: 800 });
    const slow = (await ic.dataAttributes.list().catch((e: unknown) => e)) as Error;
    expect(slow.message).toMatch(/timeout/);
  });

  it('serves read-back, stats and knobs over HTTP under /__sandbox/, outside the token and the limit', async () => {
    sandbox.setKnobs({ requestsPerWindow: 100 });
    await ic.contacts.create({ role: 'user', external_id: 'h-1', email: 'h1@example.com', custom_attributes: { plan: 'pro' } });
    await ic.companies.createOrUpdate({ company_id: 'acme', name: 'Acme', plan: 'enterprise' });

    const records = (await (await fetch(`${sandbox.url}/__sandbox/records/contacts`)).json()) as { records: unknown[] };
    expect(records.records).toEqual([expect.objectContaining({ external_id: 'h-1', 'custom_attributes.plan': 'pro' })]);
    const companies = (await (await fetch(`${sandbox.url}/__sandbox/records/companies`)).json()) as { records: unknown[] };
    expect(companies.records).toEqual([expect.objectContaining({ company_id: 'acme', plan: 'enterprise' })]);

    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ requests: 2, byEndpoint: { 'POST /contacts': 1, 'POST /companies': 1 }, createsPerKey: { contacts: { 'h-1': 1 }, companies: { acme: 1 } } });

    const set = await fetch(`${sandbox.url}/__sandbox/knobs`, { method: 'POST', body: JSON.stringify({ rejectKeys: ['h-2'] }) });
    expect(((await set.json()) as { rejectKeys: string[] }).rejectKeys).toEqual(['h-2']);
    const rejected = (await ic.contacts.create({ role: 'user', external_id: 'h-2' }).catch((e: unknown) => e)) as IntercomError;
    expect(rejected.statusCode).toBe(400);

    const bad = await fetch(`${sandbox.url}/__sandbox/knobs`, { method: 'POST', body: JSON.stringify({ failNext: -1 }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/failNext must be a non-negative integer/);

    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(sandbox.records('contacts')).toEqual([]);
  });
});
