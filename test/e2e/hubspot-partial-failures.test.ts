import { afterEach, describe, expect, it } from 'vitest';
import { collectChanges } from '../../src/core/change-set.ts';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';

let p: HubspotProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const UPSERT = 'POST /crm/v3/objects/contacts/batch/upsert';

/** Three rows HubSpot refuses, each for a different property. */
async function breakThreeRows(project: HubspotProject): Promise<void> {
  await project.sql(
    `update customers set email = 'not-an-email' where email = 'user7@example.com'`,
    `update customers set lifecycle_stage = 'vip' where email = 'user23@example.com'`,
    `update customers set birth_date = '1990-02-30' where email = 'user61@example.com'`,
  );
}

async function plannedKeys(project: HubspotProject): Promise<string[]> {
  const plan = await project.cli(['plan', '--json']);
  const parsed = JSON.parse(plan.out) as { syncs: { changes: { key: string }[] }[] };
  return parsed.syncs[0]!.changes.map((change) => change.key).sort();
}

describe('HubSpot rejecting some rows of a batch (207 multi-status)', () => {
  it('delivers and commits the rest, records the rejected rows with HubSpot’s reason, and re-proposes exactly them', async () => {
    p = await createHubspotProject({ rows: 100 });
    await breakThreeRows(p);

    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.err).toBe(1);
    expect(applied.out).toContain('contacts: partial: 97 delivered, 3 failed of 100; 1 API call(s), 0 rate-limited');
    // One call: HubSpot answered 207 and wrote the valid inputs.
    expect(p.sandbox.stats().batchSizes[UPSERT]).toEqual([100]);
    const contacts = p.contacts();
    expect(contacts.size).toBe(97);
    expect(contacts.has('user23@example.com')).toBe(false);

    const errors = await p.cli(['errors', 'contacts']);
    expect(errors.code).toBe(0);
    expect(errors.out).toContain('contacts: 3 row(s) not delivered.');
    expect(errors.out).toContain('not-an-email  create  INVALID_EMAIL (email): Email address not-an-email is invalid  [attempts 1');
    expect(errors.out).toContain('user23@example.com  create  INVALID_OPTION (lifecyclestage): vip was not one of the allowed options: [subscriber, lead,');
    expect(errors.out).toContain('user61@example.com  create  INVALID_DATE (date_of_birth): 1990-02-30 is not a valid date');

    // The 97 are in the snapshot: the next plan proposes the three rejected rows and nothing else.
    expect(await plannedKeys(p)).toEqual(['not-an-email', 'user23@example.com', 'user61@example.com']);

    await p.sql(
      `update customers set email = 'user7@example.com' where email = 'not-an-email'`,
      `update customers set lifecycle_stage = 'lead' where email = 'user23@example.com'`,
      `update customers set birth_date = '1990-02-28' where email = 'user61@example.com'`,
    );
    // The e-mail is the key, so the fixed row is a new key; the two others keep theirs.
    expect(await plannedKeys(p)).toEqual(['user23@example.com', 'user61@example.com', 'user7@example.com']);
    const fixed = await p.cli(['apply', '--auto-approve']);
    expect(fixed.code, fixed.out + fixed.err).toBe(0);
    expect(fixed.out).toContain('contacts: succeeded: 3 delivered, 0 failed of 3');

    expect(p.contacts()).toEqual(await p.model());
    expect([...p.sandbox.createsPerKey('contacts', 'email').values()].every((n) => n === 1)).toBe(true);
    expect((await p.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    // Delivered rows lose their error record (the orphaned `not-an-email` one: see the next test).
    const after = (await p.cli(['errors', 'contacts'])).out;
    expect(after).not.toContain('user23@example.com');
    expect(after).not.toContain('user61@example.com');
  });

  // A rejected key that leaves the model (here the e-mail key was fixed, so the row now has another key)
  // must not be reported forever as "proposed again by the next plan".
  it('stops reporting a rejected row once its key has left the model', async () => {
    p = await createHubspotProject({ rows: 10 });
    await p.sql(`update customers set email = 'not-an-email' where email = 'user7@example.com'`);
    expect((await p.cli(['apply', '--auto-approve'])).out).toContain('9 delivered, 1 failed of 10');
    await p.sql(`update customers set email = 'user7@example.com' where email = 'not-an-email'`);
    expect((await p.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(p.contacts()).toEqual(await p.model());
    expect((await p.cli(['errors', 'contacts'])).out).toContain('contacts: no failed rows.');
  });
});

describe('HubSpot rejecting the whole batch for a few bad rows (400, no 207)', () => {
  it('isolates the bad rows by splitting, so the good ones are still delivered and committed', async () => {
    p = await createHubspotProject({ rows: 100, sandbox: { knobs: { rowErrors: 'wholeBatch' } } });
    await breakThreeRows(p);
    const engine = await p.engine();
    const result = await engine.apply(await engine.plan());
    expect(result.syncs[0]).toMatchObject({ status: 'partial', delivered: 97, failed: 3 });
    // Halving down to the three single bad rows costs extra calls; every call is counted.
    const calls = p.sandbox.stats().batchSizes[UPSERT] ?? [];
    expect(result.syncs[0]!.apiCalls).toBe(calls.length);
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.filter((size) => size === 1).length).toBeGreaterThanOrEqual(3);
    expect(p.contacts().size).toBe(97);

    const errors = await engine.store.listRowErrors({ sync: 'contacts', limit: 10 });
    expect(errors.map((e) => [e.key, e.code, e.field]).sort()).toEqual([
      ['not-an-email', 'INVALID_EMAIL', 'email'],
      ['user23@example.com', 'INVALID_OPTION', 'lifecyclestage'],
      ['user61@example.com', 'INVALID_DATE', 'date_of_birth'],
    ]);
    const replan = await engine.plan();
    expect((await collectChanges(replan.syncs[0]!.changes)).map((c) => c.key).sort()).toEqual(['not-an-email', 'user23@example.com', 'user61@example.com']);
  });

  it('paces every isolating call under the rate limit: zero 429s, and no faster than the limit', async () => {
    // 2 requests per rolling 2 s, which the connection declares as 10 per 10 s: the engine spaces calls
    // ~1 s apart. Isolating one bad row among 40 takes about a dozen calls; sent back to back, the third
    // would be refused.
    p = await createHubspotProject({ rows: 40, requestsPer10s: 10, sandbox: { requestsPer10s: 2, windowMs: 2_000, knobs: { rowErrors: 'wholeBatch' } } });
    await p.sql(`update customers set lifecycle_stage = 'vip' where email = 'user23@example.com'`);
    const engine = await p.engine();
    const started = Date.now();
    const result = await engine.apply(await engine.plan());
    const elapsedMs = Date.now() - started;

    expect(result.syncs[0]).toMatchObject({ status: 'partial', delivered: 39, failed: 1, rateLimited: 0 });
    const stats = p.sandbox.stats();
    expect(stats.rateLimited.TEN_SECONDLY_ROLLING).toBe(0);
    const calls = stats.batchSizes[UPSERT] ?? [];
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(result.syncs[0]!.apiCalls).toBe(calls.length);
    // One slot per call after the first, at 97% of 1 per second.
    expect(elapsedMs).toBeGreaterThanOrEqual((calls.length - 1) * 1_000);
    expect(p.contacts().size).toBe(39);
    expect(p.contacts().has('user23@example.com')).toBe(false);
  }, 60_000);
});
