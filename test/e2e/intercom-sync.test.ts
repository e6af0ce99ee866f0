import { afterEach, describe, expect, it } from 'vitest';
import type { IntercomSandbox } from '../../src/sandbox/intercom/index.ts';
import type { SandboxProject } from '../support/project-runner.ts';
import { createIntercomProject } from '../support/intercom-project.ts';

let p: SandboxProject<IntercomSandbox> | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const RETRY = { maxRateLimitedRetries: 5, maxTransientRetries: 2, baseDelayMs: 50, maxDelayMs: 200 };

/**
 * Intercom has no batch endpoint: one batch is a search and a write per record, so a 429 can arrive
 * after some of a batch's records were written. Those are acknowledged; the rest come back retryable.
 */
describe('intercom: a 429 in the middle of a batch', () => {
  it('delivers every row within the same run: the rest of the batch is sent again once the wait the 429 asked for is over', async () => {
    // 3 s rate windows: the 429 asks to wait until the window resets, more than 2.5 s after it.
    p = await createIntercomProject({ rows: 40, connection: { maxConcurrent: 4 }, sandbox: { windowMs: 3_000 } });
    const { sandbox } = p;
    const engine = await p.engine();
    // 40 records are 80 requests (a search and a create each), in batches of 10: the 16th answers 429.
    sandbox.failNext(1, 429, 15);

    const plan = await engine.plan();
    const started = Date.now();
    const result = (await engine.apply(plan, { retry: RETRY })).syncs[0]!;

    expect(sandbox.stats().injectedFailures).toBe(1);
    // The re-send waited for the window, not only the backoff (at most 200 ms here): the run could not be shorter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    // The 429 is counted, though the batch came back rather than failed whole.
    expect(result).toMatchObject({ status: 'succeeded', delivered: 40, failed: 0, rateLimited: 1 });
    const resent = engine.events.filter((e) => e.type === 'retry-scheduled' && e.reason === 'rows');
    expect(resent.length).toBeGreaterThan(0); // the mid-batch 429 did happen, and was absorbed in the run
    expect(sandbox.records('contacts')).toHaveLength(40);
    expect(Object.values(sandbox.stats().createsPerKey.contacts)).toEqual(Array(40).fill(1)); // none created twice
    expect((await engine.plan()).syncs[0]!.changes.count).toBe(0);
  });
});

/**
 * Every request of a batch spends the rate budget, not only its first: a batch of 10 records is 20
 * requests, and several batches run at once. A limit the connection states is never exceeded.
 */
describe('intercom: a known rate limit', () => {
  it('paces every request of every batch under it: zero 429s, and no slower than the limit asks', async () => {
    p = await createIntercomProject({ rows: 12, connection: { requestsPer10s: 20, maxConcurrent: 4 }, sandbox: { requestsPer10s: 20 } });
    const { sandbox } = p;
    const engine = await p.engine();
    const started = Date.now();

    const result = (await engine.apply(await engine.plan(), { retry: RETRY })).syncs[0]!;

    const elapsedMs = Date.now() - started;
    const stats = sandbox.stats();
    expect(result).toMatchObject({ status: 'succeeded', delivered: 12, failed: 0, rateLimited: 0 });
    expect(stats.rateLimited).toBe(0);
    // The attribute list once, then a search and a create per record.
    expect(stats.byEndpoint).toEqual({ 'GET /data_attributes': 1, 'POST /contacts/search': 12, 'POST /contacts': 12 });
    // 25 requests at 97% of 20 per 10 s: one every 516 ms, so the last one leaves 24 slots after the first.
    expect(elapsedMs).toBeGreaterThanOrEqual(24 * 516 - 50);
    expect(elapsedMs).toBeLessThan(24 * 516 + 4_000);
    expect(Object.values(stats.createsPerKey.contacts)).toEqual(Array(12).fill(1));
  }, 30_000);
});
