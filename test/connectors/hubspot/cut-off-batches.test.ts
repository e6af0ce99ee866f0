import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallPacing } from '../../../src/connectors/connector.ts';
import { OUTCOME_UNKNOWN } from '../../../src/core/errors.ts';
import type { HubspotSandboxKnobs } from '../../../src/sandbox/hubspot/types.ts';
import { batch, item, startRig, type Rig } from './helpers.ts';

const TIMEOUT_MS = 300;
const company = (name: string) => item(name, { name });
const named = (rig: Rig, name: string) => rig.sandbox.records('companies').filter((record) => record.properties.name === name);

/** Pacing that changes the sandbox's knobs just before the batch's `call`-th request (the first is 1). */
function knobsBeforeCall(rig: Rig, call: number, knobs: Partial<HubspotSandboxKnobs>): CallPacing {
  let calls = 1;
  return {
    beforeExtraCall: async () => {
      calls += 1;
      if (calls === call) rig.sandbox.setKnobs(knobs);
    },
  };
}

/** A write the sandbox answers late still lands: wait for it, so the test sees what HubSpot ends up holding. */
async function landed(rig: Rig, name: string): Promise<boolean> {
  for (let waited = 0; waited < 3_000; waited += 50) {
    if (named(rig, name).length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

// HubSpot rejects the whole batch for one bad row (rowErrors: wholeBatch), so the connector isolates it
// by halving: [a, bad, c] → [a, bad] → [a], [bad] → [c]; a later call of that split can fail as a whole.
describe('hubspot connector: a batch cut off part-way while isolating a rejected row', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ knobs: { rowErrors: 'wholeBatch', rejectIds: ['bad'], resultOrder: 'input' } }, { timeoutMs: TIMEOUT_MS });
  });
  afterAll(() => rig.close());
  beforeEach(() => {
    rig.sandbox.resetLimits();
    rig.sandbox.setKnobs({ delayMs: 0, requestsPer10s: 100, retryAfterSeconds: null });
  });

  it('a create whose call times out after HubSpot wrote it comes back OUTCOME_UNKNOWN ("may exist"), not "not sent"', async () => {
    const pacing = knobsBeforeCall(rig, 5, { delayMs: TIMEOUT_MS * 3 }); // calls: [a,bad,c] [a,bad] [a] [bad] [c]
    const result = await rig.session.applyBatch(batch('companies', 'create', 'name', [company('t1-a'), company('bad'), company('t1-c')]), pacing);

    expect(result.calls).toBe(5);
    expect(result.results[0]).toEqual({ status: 'ok', remoteId: named(rig, 't1-a')[0]?.id });
    expect(result.results[1]).toMatchObject({ status: 'failed', error: { code: 'SANDBOX_REJECTED' } });
    expect(result.results[2]).toMatchObject({ status: 'failed', error: { code: OUTCOME_UNKNOWN, message: expect.stringMatching(/may exist/) } });
    expect(result.results[2]).not.toMatchObject({ error: { message: expect.stringMatching(/^not sent/) } });
    // Why it must not be "not sent": the create did land, and a second one would duplicate it.
    expect(await landed(rig, 't1-c')).toBe(true);
  });

  it('only the rows of the timed-out call are in doubt: rows never sent stay "not sent"', async () => {
    // [a, b, bad, d] → 400 → [a, b] times out (written late); [bad, d] is never sent.
    const pacing = knobsBeforeCall(rig, 2, { delayMs: TIMEOUT_MS * 3 });
    const items = [company('t2-a'), company('t2-b'), company('bad'), company('t2-d')];
    const result = await rig.session.applyBatch(batch('companies', 'create', 'name', items), pacing);

    expect(result.calls).toBe(2);
    const codes = result.results.map((r) => (r.status === 'failed' ? r.error.code : 'ok'));
    expect(codes).toEqual([OUTCOME_UNKNOWN, OUTCOME_UNKNOWN, 'TIMEOUT', 'TIMEOUT']);
    for (const r of result.results.slice(2)) expect(r).toMatchObject({ error: { message: expect.stringMatching(/^not sent: /) } });
    expect(await landed(rig, 't2-a')).toBe(true);
    expect(await landed(rig, 't2-b')).toBe(true);
    expect(named(rig, 't2-d')).toEqual([]);
  });

  it('a 429 part-way returns the delay as rateLimitedMs, and the unsent rows as retryable', async () => {
    // [a, b, bad, d] → 400 → [a, b] written → [bad, d] refused with 429 (one request allowed per window now).
    const pacing = knobsBeforeCall(rig, 3, { requestsPer10s: 1, retryAfterSeconds: 2 });
    const items = [company('t3-a'), company('t3-b'), company('bad'), company('t3-d')];
    const result = await rig.session.applyBatch(batch('companies', 'create', 'name', items), pacing);

    expect(result.calls).toBe(3);
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'ok', 'failed', 'failed']);
    for (const r of result.results.slice(2)) expect(r).toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED', retryable: true } });
    expect(result.rateLimitedMs).toBe(2_000);
    expect(named(rig, 't3-d')).toEqual([]);
  });
});
