import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';

let p: HubspotProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

interface ErrorsJson {
  total: number;
  errors: { key: string; code: string; message: string }[];
}

async function plannedKeys(project: HubspotProject): Promise<string[]> {
  const plan = await project.cli(['plan', '--json']);
  return (JSON.parse(plan.out) as { syncs: { changes: { key: string }[] }[] }).syncs[0]!.changes.map((c) => c.key).sort();
}

describe("HubSpot's daily limit running out in the middle of an apply", () => {
  it('stops cleanly, keeps what was delivered, leaves the rest pending, and finishes after the reset without duplicates', async () => {
    // 1,000 rows are 10 calls; the account has 5 left today.
    p = await createHubspotProject({ rows: 1_000, sandbox: { dailyLimit: 5 } });

    const first = await p.cli(['apply', '--auto-approve']);
    expect(first.code, first.err).toBe(1);
    expect(first.out).toMatch(/contacts: partial: 500 delivered, 500 failed of 1000; \d+ API call\(s\)/);
    expect(first.out).toContain("stopped: HubSpot's daily API limit for this account is used up (5 calls per day)");
    expect(first.out).toContain('rows not yet sent stay pending and go out on the first run after the reset');
    const refused = p.sandbox.stats().rateLimited.DAILY;
    expect(refused).toBeGreaterThanOrEqual(1);
    // Batches still queued in the pacer when the first refusal came back are not sent at all
    // (5 are in flight at once: without that, every one of them would earn its own refusal).
    expect(refused).toBeLessThan(5);

    // Delivered rows are committed: the next plan proposes exactly the 500 that did not reach HubSpot.
    const delivered = p.contacts();
    expect(delivered.size).toBe(500);
    const model = await p.model();
    const undelivered = [...model.keys()].filter((email) => !delivered.has(email)).sort();
    expect(await plannedKeys(p)).toEqual(undelivered);

    // Unsent rows are recorded with the reason, not dropped.
    const errors = JSON.parse((await p.cli(['errors', 'contacts', '--json', '--limit', '1000'])).out) as ErrorsJson;
    expect(errors.total).toBe(500);
    expect(errors.errors.map((e) => e.key).sort()).toEqual(undelivered);
    expect(new Set(errors.errors.map((e) => e.code))).toEqual(new Set(['HUBSPOT_DAILY_LIMIT', 'NOT_ATTEMPTED']));
    expect(errors.errors.filter((e) => e.code === 'HUBSPOT_DAILY_LIMIT')).toHaveLength(100 * refused);
    expect(errors.errors.every((e) => e.message.includes('daily API limit'))).toBe(true);

    // Re-running the same day sends nothing new: HubSpot refuses, nothing is lost.
    const sameDay = await p.cli(['apply', '--auto-approve']);
    expect(sameDay.code).toBe(1);
    expect(sameDay.out).toContain('contacts: failed: 0 delivered, 500 failed of 500');
    expect(p.contacts().size).toBe(500);

    p.sandbox.resetLimits(); // a new day
    const nextDay = await p.cli(['apply', '--auto-approve']);
    expect(nextDay.code, nextDay.out + nextDay.err).toBe(0);
    expect(nextDay.out).toContain('contacts: succeeded: 500 delivered, 0 failed of 500; 5 API call(s), 0 rate-limited');

    expect(p.contacts()).toEqual(model);
    const creates = [...p.sandbox.createsPerKey('contacts', 'email').values()];
    expect(creates).toHaveLength(1_000);
    expect(creates.every((n) => n === 1)).toBe(true);
    expect((await p.cli(['errors', 'contacts'])).out).toContain('contacts: no failed rows.');
    expect((await p.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
