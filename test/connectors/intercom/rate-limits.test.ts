import { setTimeout as sleep } from 'node:timers/promises';
import { IntercomClient } from 'intercom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_LATER } from '../../../src/connectors/intercom/run-batch.ts';
import { RateLimitedError } from '../../../src/core/errors.ts';
import { contactItem, contactsByExternalId, startRig, statuses, type IntercomRig } from './harness.ts';

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Spends the sandbox's current window with requests made outside the connector. */
async function exhaustWindow(rig: IntercomRig, limit: number): Promise<void> {
  const outside = new IntercomClient({ token: rig.sandbox.token, baseUrl: rig.sandbox.url, maxRetries: 0 });
  for (let i = 0; i < limit; i++) await outside.dataAttributes.list({ model: 'contact' });
}

describe('intercom connector: 429s when a batch is many requests', () => {
  let rig: IntercomRig;

  beforeAll(async () => {
    rig = await startRig({}, { maxConcurrent: 1 });
  });
  afterAll(() => rig.close());

  it('a 429 part-way returns the delivered records ok and the rest RETRY_LATER, then the re-send completes them once', async () => {
    // 5 requests per 1 s window: the schema lookup, then search + create for records 0 and 1; record 2's search gets the 429.
    rig.sandbox.setKnobs({ requestsPerWindow: 5, windowMs: 1_000 });
    const items = keys('mid', 10).map((k) => contactItem(k));

    const result = await rig.apply('upsert', items);

    expect(statuses(result)).toEqual(['ok', 'ok', ...Array(8).fill(RETRY_LATER)]);
    expect(result.calls).toBe(6);
    expect(result.rateLimit).toEqual({ max: 5, remaining: 0, windowMs: 10_000 });
    // The wait the 429 asked for (until the 1 s window resets), for the engine to honour before the re-send.
    expect(result.rateLimitedMs).toBeGreaterThanOrEqual(0);
    expect(result.rateLimitedMs).toBeLessThanOrEqual(2_000);
    const failed = result.results[2];
    expect(failed?.status === 'failed' && failed.error.message).toMatch(/429.*this one is sent again/s);
    // Retryable: the engine re-sends these within the run instead of leaving them to the next one.
    expect(result.results.slice(2).every((r) => r.status === 'failed' && r.error.retryable === true)).toBe(true);
    expect([...contactsByExternalId(rig.sandbox).keys()].sort()).toEqual(['mid-0', 'mid-1']);

    // What the engine's re-send does: send the un-acknowledged rows again.
    rig.sandbox.setKnobs({ requestsPerWindow: 1_000 });
    const resend = items.filter((_, i) => result.results[i]?.status === 'failed');
    const second = await rig.apply('upsert', resend);
    expect(statuses(second)).toEqual(Array(8).fill('ok'));
    expect(Object.values(rig.sandbox.stats().createsPerKey.contacts)).toEqual(Array(10).fill(1));
  });

  it('a 429 before any record is delivered is thrown as RateLimitedError with the X-RateLimit-Reset delay', async () => {
    // 4 per window: exactly what the two records' search + create take once the window has reset.
    rig.sandbox.setKnobs({ requestsPerWindow: 4, windowMs: 1_000, retryAfterOn429: false });
    await exhaustWindow(rig, 4);
    const before = rig.sandbox.stats().requests;

    const error = await rig.apply('upsert', [contactItem('whole-0'), contactItem('whole-1')]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitedError);
    const delay = (error as RateLimitedError).retryAfterMs;
    // X-RateLimit-Reset is in whole epoch seconds, so the delay runs to the end of that second.
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(2_000);
    expect(rig.sandbox.stats().requests - before).toBe(1); // stopped at the first 429, and intercom-client did not retry

    await sleep(delay);
    expect(statuses(await rig.apply('upsert', [contactItem('whole-0'), contactItem('whole-1')]))).toEqual(['ok', 'ok']);
  });

  it('Retry-After, when Intercom sends it, wins over X-RateLimit-Reset', async () => {
    rig.sandbox.setKnobs({ requestsPerWindow: 1, windowMs: 4_000, retryAfterOn429: true });
    await exhaustWindow(rig, 1);

    const error = await rig.apply('upsert', [contactItem('ra-0')]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitedError);
    const delay = (error as RateLimitedError).retryAfterMs;
    expect(delay % 1_000).toBe(0); // whole seconds, as Retry-After carries them
    expect(delay).toBeGreaterThanOrEqual(1_000);
    expect(delay).toBeLessThanOrEqual(4_000);
    rig.sandbox.setKnobs({ requestsPerWindow: 1_000, windowMs: 1_000, retryAfterOn429: false });
  });
});

describe('intercom connector: a 429 in the middle of concurrent requests', () => {
  let rig: IntercomRig;

  beforeAll(async () => {
    rig = await startRig({ requestsPer10s: 1_000, windowMs: 1_000 });
  });
  afterAll(() => rig.close());

  it('every record is either delivered (and reported ok) or RETRY_LATER (and absent), never lost or doubled', async () => {
    await rig.apply('upsert', [contactItem('warm-up')]); // loads the schema
    // 10 searches fit, then only some creates; the delay keeps requests in flight together.
    rig.sandbox.setKnobs({ requestsPerWindow: 14, delayMs: 30 });
    const items = keys('conc', 10).map((k) => contactItem(k));
    const before = rig.sandbox.stats().requests;

    const result = await rig.apply('upsert', items);

    const stored = contactsByExternalId(rig.sandbox);
    const codes = statuses(result);
    expect(codes.every((c) => c === 'ok' || c === RETRY_LATER)).toBe(true);
    expect(codes.filter((c) => c === 'ok').length).toBeGreaterThan(0);
    expect(codes).toContain(RETRY_LATER);
    items.forEach((item, i) => {
      const r = result.results[i];
      if (r?.status === 'ok') expect(stored.get(item.key)?.id).toBe(r.remoteId);
      else expect(stored.has(item.key)).toBe(false);
    });
    expect(result.calls).toBe(rig.sandbox.stats().requests - before);
    expect(rig.sandbox.stats().peakInFlight).toBeGreaterThan(1);
  });
});
