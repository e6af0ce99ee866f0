import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';

let p: HubspotProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Rewrites the project's contacts sync (upserted by email) with `edit`. */
function editSync(project: HubspotProject, edit: (source: string) => string): void {
  const file = project.project.path('syncs/contacts.sync.ts');
  project.project.write('syncs/contacts.sync.ts', edit(readFileSync(file, 'utf8')));
}

const mirror = (source: string) => source.replace("mode: 'upsert'", "mode: 'mirror'");
const matchingExactly = (source: string) => source.replace("matchOn: 'email' }", "matchOn: 'email', matchIgnoresCase: false }");

interface JsonPlan {
  syncs: { changes: { key: string; action: string; changedFields?: string[] }[]; diagnostics: { code: string; severity: string; message: string }[] }[];
}

async function planJson(project: HubspotProject): Promise<JsonPlan['syncs'][number]> {
  const plan = await project.cli(['plan', '--json']);
  return (JSON.parse(plan.out) as JsonPlan).syncs[0]!;
}

// HubSpot stores e-mails lower-cased and finds contacts by e-mail ignoring case, as the sandbox does.
describe('HubSpot contacts keyed by e-mail, which HubSpot matches ignoring case', () => {
  it('plans a key that only changes case as an update of the same contact, never a delete of it (mirror)', async () => {
    p = await createHubspotProject({ rows: 50 });
    editSync(p, mirror);
    // Eleven of fifty e-mails written with capitals (user1@, user10@ … user19@).
    await p.sql(`update customers set email = 'User' || substr(email, 5) where email like 'user1%'`);
    const first = await p.cli(['apply', '--auto-approve']);
    expect(first.code, first.err).toBe(0);
    expect(p.contacts().size).toBe(50);

    // The warehouse team lower-cases the e-mails, as one should.
    await p.sql(`update customers set email = lower(email)`);
    const plan = await planJson(p);
    expect(plan.changes.map((c) => c.action)).toEqual(Array(11).fill('update'));
    expect(plan.changes.every((c) => c.changedFields?.join() === 'email')).toBe(true);

    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('contacts → hubspot contacts (mirror, matched on email ignoring case)');
    expect(applied.out).toContain('0 to create, 11 to update, 0 to delete');
    // Every contact is still there, equal to the model; nothing is left to do.
    expect(p.contacts()).toEqual(await p.model());
    expect(p.sandbox.stats().batchSizes['POST /crm/v3/objects/contacts/batch/archive']).toBeUndefined();
    expect((await planJson(p)).changes).toEqual([]);
  });

  it('blocks a model holding one e-mail twice in different case, naming it, and sends nothing', async () => {
    p = await createHubspotProject({ rows: 20 });
    await p.sql(`insert into customers select 'User3@Example.com', 'Other', 'Person', 'lead', 1, '1990-01-01'`);
    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.err + applied.out).toMatch(/DUPLICATE_KEYS.*1 key value\(s\) of "email" appear more than once, compared ignoring case.*user3@example\.com \(×2\)/s);
    expect(p.sandbox.stats().totalRequests).toBe(0);
  });

  it('re-keys a snapshot written while e-mails were compared exactly, and merges the pairs it holds', async () => {
    p = await createHubspotProject({ rows: 30 });
    editSync(p, (source) => mirror(matchingExactly(source)));
    await p.sql(`update customers set email = 'User' || substr(email, 5) where email like 'user2%'`);
    expect((await p.cli(['apply', '--auto-approve'])).code).toBe(0);
    // Compared exactly, a second spelling of user5's e-mail is a second key: a "create" that HubSpot
    // applied to the same contact, which now holds this row's lifecycle stage.
    await p.sql(`insert into customers select 'USER5@example.com', 'First5', 'Last5', 'lead', 5, '1970-01-06'`);
    const second = await p.cli(['apply', '--auto-approve']);
    expect(second.out).toContain('1 to create, 0 to update, 0 to delete');
    expect(p.contacts().size).toBe(30);
    expect(p.contacts().get('user5@example.com')?.lifecyclestage).toBe('lead');

    // Now compared as HubSpot does (the connector's default): the snapshot is re-keyed on the next plan.
    editSync(p, (source) => source.replace(', matchIgnoresCase: false', ''));
    await p.sql(`delete from customers where email = 'USER5@example.com'`);
    // Not under an apply in flight: its commits expect the keys and serial it started with.
    const other = openSqliteSnapshotStore(p.project.path('.ebb/snapshot.sqlite'));
    await other.acquireLock({ sync: 'contacts', holder: 'another-apply', ttlMs: 60_000 });
    const refused = await p.cli(['plan']);
    expect(refused.code).toBe(1);
    expect(refused.out + refused.err).toContain('must be re-keyed (its destination now matches keys ignoring case), but an apply holds the sync (another-apply');
    // Said as what it is, not as a failure of the warehouse.
    expect(refused.out + refused.err).not.toContain('could not read the model');
    await other.releaseLock('contacts', 'another-apply');
    await other.close();

    const plan = await planJson(p);
    expect(plan.diagnostics).toMatchObject([{ code: 'KEYS_MERGED', severity: 'warning', message: expect.stringContaining('kept / dropped: USER5@example.com / user5@example.com') }]);
    // The snapshot kept what was delivered last, so the one change is user5 getting its own stage back
    // (and its e-mail's case, which HubSpot does not store). The ten re-cased keys are unchanged; no delete.
    expect(plan.changes).toMatchObject([{ key: 'user5@example.com', action: 'update', changedFields: ['email', 'lifecyclestage'] }]);
    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.err).toBe(0);
    expect(p.contacts()).toEqual(await p.model());
    expect((await planJson(p)).changes).toEqual([]);
  });
});
