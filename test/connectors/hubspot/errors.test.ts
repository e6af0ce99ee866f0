import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, QuotaExhaustedError, RateLimitedError, TransientError } from '../../../src/core/errors.ts';
import { hubspotConnector } from '../../../src/connectors/hubspot/index.ts';
import { batch, contact, startRig, type Rig } from './helpers.ts';
import { systemClock } from '../../../src/engine/clock.ts';

const upsertContacts = (rig: Rig, from: number, count = 2) =>
  rig.session.applyBatch(batch('contacts', 'upsert', 'email', Array.from({ length: count }, (_, i) => contact(from + i))));

describe('hubspot connector: whole-call failures become typed errors', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ requestsPer10s: 3, windowMs: 1_000, dailyLimit: 1_000 }, { timeoutMs: 300 });
  });
  afterAll(() => rig.close());
  beforeEach(() => {
    rig.sandbox.resetLimits();
    rig.sandbox.setKnobs({ requestsPer10s: 3, windowMs: 1_000, dailyLimit: 1_000, missingScopes: [], failNext: 0, delayMs: 0, retryAfterSeconds: null });
  });

  it('reports the rate-limit headers of every response so the engine can pace', async () => {
    const first = await upsertContacts(rig, 0);
    expect(first.rateLimit).toEqual({ max: 3, remaining: 2, windowMs: 1_000, dailyRemaining: 999 });
    const second = await upsertContacts(rig, 10);
    expect(second.rateLimit).toEqual({ max: 3, remaining: 1, windowMs: 1_000, dailyRemaining: 998 });
  });

  it('429 TEN_SECONDLY_ROLLING → RateLimitedError waiting the interval HubSpot reports', async () => {
    for (let i = 0; i < 3; i++) await upsertContacts(rig, 20 + i * 2);
    const error = await upsertContacts(rig, 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(1_000);
    expect((error as Error).message).toContain('TEN_SECONDLY_ROLLING');
    expect(rig.sandbox.stats().rateLimited.TEN_SECONDLY_ROLLING).toBeGreaterThanOrEqual(1);
  });

  it('429 with a Retry-After header → that delay', async () => {
    rig.sandbox.setKnobs({ retryAfterSeconds: 2, requestsPer10s: 1 });
    await upsertContacts(rig, 40);
    const error = await upsertContacts(rig, 42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2_000);
  });

  it('429 DAILY → QuotaExhaustedError that says when it resets and that rows stay pending', async () => {
    rig.sandbox.setKnobs({ dailyLimit: 2, requestsPer10s: 100 });
    await upsertContacts(rig, 50);
    await upsertContacts(rig, 52);
    const error = await upsertContacts(rig, 54).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).code).toBe('HUBSPOT_DAILY_LIMIT');
    expect((error as Error).message).toMatch(/daily API limit/);
    expect((error as Error).message).toMatch(/resets at midnight/);
    expect((error as Error).message).toMatch(/stay pending/);
    expect(rig.sandbox.stats().rateLimited.DAILY).toBe(1);
  });

  it('403 MISSING_SCOPES → AuthError naming the scopes to add', async () => {
    rig.sandbox.setKnobs({ missingScopes: ['crm.objects.contacts.write', 'crm.schemas.contacts.read'] });
    const error = await upsertContacts(rig, 60).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('HUBSPOT_MISSING_SCOPES');
    expect((error as Error).message).toContain('crm.objects.contacts.write, crm.schemas.contacts.read');
  });

  it('5xx, an HTML 502, a dropped connection and a slow answer → TransientError', async () => {
    rig.sandbox.setKnobs({ requestsPer10s: 100, failNext: 1, failKind: 'http500' });
    await expect(upsertContacts(rig, 70)).rejects.toBeInstanceOf(TransientError);
    rig.sandbox.setKnobs({ failNext: 1, failKind: 'html502' });
    await expect(upsertContacts(rig, 70)).rejects.toMatchObject({ code: 'HTTP_502' });
    rig.sandbox.setKnobs({ failNext: 1, failKind: 'reset' });
    await expect(upsertContacts(rig, 70)).rejects.toMatchObject({ name: 'TransientError', code: 'NETWORK' });
    rig.sandbox.setKnobs({ delayMs: 600 });
    await expect(upsertContacts(rig, 70)).rejects.toMatchObject({ name: 'TransientError', code: 'TIMEOUT' });
  });

  it('returns the rows already delivered when a limit hits while isolating a rejected row', async () => {
    rig.sandbox.setKnobs({ rowErrors: 'wholeBatch', requestsPer10s: 3 });
    const items = Array.from({ length: 8 }, (_, i) => contact(80 + i));
    items[7] = contact(87, { lifecyclestage: 'nope' });
    // Calls: [0..7] 400 → [0..3] ok → [4..7] 400 → 429 on the fourth call.
    const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', items));
    rig.sandbox.setKnobs({ rowErrors: 'auto' });
    expect(result.calls).toBe(4);
    expect(result.results.slice(0, 4).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    for (const r of result.results.slice(4)) expect(r).toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED' } });
  });
});

describe('hubspot connector: authentication', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('401 for a token the account does not know → AuthError that does not leak the token', async () => {
    const session = await hubspotConnector.open({ accessToken: 'pat-revoked-secret', baseUrl: rig.sandbox.url }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const error = await session.applyBatch(batch('contacts', 'upsert', 'email', [contact(1)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('HUBSPOT_INVALID_AUTHENTICATION');
    expect((error as Error).message).toContain('INVALID_AUTHENTICATION');
    expect((error as Error).message).not.toContain('pat-revoked-secret');
  });

  it('a network failure (nothing listening) → TransientError', async () => {
    const session = await hubspotConnector.open({ accessToken: 'x', baseUrl: 'http://127.0.0.1:9' }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    await expect(session.applyBatch(batch('contacts', 'upsert', 'email', [contact(1)]))).rejects.toBeInstanceOf(TransientError);
  });
});
