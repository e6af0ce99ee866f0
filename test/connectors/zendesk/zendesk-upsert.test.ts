import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../../src/core/errors.ts';
import { item, upsert, user, zendeskFixture, type ZendeskFixture } from './fixture.ts';

let fx: ZendeskFixture | undefined;
const requestsMade = (sandbox: ZendeskFixture['sandbox']) => Object.values(sandbox.stats().requests).reduce((sum, n) => sum + n, 0);
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('zendesk connector: upserts through create_or_update_many jobs', () => {
  it('maps the failed rows of a job back to exactly those rows, and the rest to their Zendesk ids', async () => {
    fx = await zendeskFixture({ failExternalIds: ['c-5'] });
    await fx.session.applyBatch(upsert('users', [user('owner', { email: 'taken@example.com' })]));
    const items = Array.from({ length: 8 }, (_, i) => user(`c-${i}`));
    items[2] = user('c-2', { email: 'not-an-email' });
    items[6] = user('c-6', { email: 'TAKEN@example.com' });
    const { results } = await fx.session.applyBatch(upsert('users', items));

    expect(results).toHaveLength(8);
    expect(results[2]).toEqual({ status: 'failed', error: { code: 'UserUpdateError', message: 'Email: not-an-email is not properly formatted', field: 'email' } });
    expect(results[5]).toMatchObject({ status: 'failed', error: { code: 'UserUpdateError' } });
    expect(results[5]!.status === 'failed' && results[5]!.error.message).toContain('c-5');
    expect(results[6]).toMatchObject({ status: 'failed', error: { message: 'Email: TAKEN@example.com is already being used by another user', field: 'email' } });
    const stored = new Map(fx.sandbox.records('users').map((record) => [record.external_id, record]));
    for (const i of [0, 1, 3, 4, 7]) {
      const result = results[i]!;
      expect(result.status).toBe('ok');
      expect(result.status === 'ok' && result.remoteId).toBe(String(stored.get(`c-${i}`)?.id));
    }
    for (const i of [2, 5, 6]) expect(stored.has(`c-${i}`)).toBe(false);
  });

  it('polls the job with growing waits through context.sleep and counts every call', async () => {
    fx = await zendeskFixture({ pollsToComplete: 4 });
    const result = await fx.session.applyBatch(upsert('users', [user('a'), user('b')]));
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(fx.sleeps).toEqual([500, 750, 1125, 1688]);
    expect(result.calls).toBe(5);
    expect(fx.sandbox.stats().jobPolls).toBe(4);
    expect(result.rateLimit).toEqual({ max: 200, remaining: 195, windowMs: 60_000 });
  });

  it('waits for a paced slot (CallPacing) before every request after the first: job polls and organization look-ups', async () => {
    fx = await zendeskFixture({ pollsToComplete: 3 });
    const sandbox = fx.sandbox;
    const received = () => Object.values(sandbox.stats().requests).reduce((sum, n) => sum + n, 0);
    // What the sandbox had received each time the connector asked for a slot: the wait comes first.
    const seenAtSlot: number[] = [];
    const pacing = { beforeExtraCall: async () => void seenAtSlot.push(received()) };

    const users = await fx.session.applyBatch(upsert('users', [user('p1'), user('p2')]), pacing);
    expect(users.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(users.calls).toBe(4); // create_or_update_many and three polls
    expect(seenAtSlot).toEqual([1, 2, 3]);

    seenAtSlot.length = 0;
    const before = received();
    const orgs = await fx.session.applyBatch(upsert('organizations', [item('co-p1', { name: 'Paced one' }), item('co-p2', { name: 'Paced two' })]), pacing);
    expect(orgs.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(orgs.calls).toBeGreaterThan(2);
    expect(seenAtSlot).toEqual(Array.from({ length: orgs.calls - 1 }, (_, i) => before + i + 1));
  });

  it('gives up on a job that outlives jobTimeoutMs with a TransientError', async () => {
    fx = await zendeskFixture({ pollsToComplete: 1000 }, { pollIntervalMs: 1000, maxPollIntervalMs: 1000, jobTimeoutMs: 5000 });
    const error = await fx.session.applyBatch(upsert('users', [user('slow')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('ZENDESK_JOB_TIMEOUT');
    expect(fx.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(fx.sandbox.records('users')).toHaveLength(0);
  });

  it.each(['failed', 'killed'] as const)('turns a %s job into a TransientError and applies nothing', async (status) => {
    fx = await zendeskFixture({ failNextJobs: 1, failJobStatus: status });
    const error = await fx.session.applyBatch(upsert('users', [user('x')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain(`"${status}"`);
    expect(fx.sandbox.records('users')).toHaveLength(0);
    // The re-send the engine makes then succeeds without duplicating.
    const again = await fx.session.applyBatch(upsert('users', [user('x')]));
    expect(again.results[0]?.status).toBe('ok');
    expect(fx.sandbox.stats().createsPerKey.users).toEqual({ x: 1 });
  });

  it('passes user_fields.<key> through as custom user fields', async () => {
    fx = await zendeskFixture({ userFields: ['plan', 'lifetime_value'] });
    await fx.session.applyBatch(upsert('users', [user('u1', { 'user_fields.plan': 'pro', 'user_fields.lifetime_value': 1250.5, 'user_fields.unknown': 'x' })]));
    const [stored] = fx.sandbox.records('users');
    expect(stored?.user_fields).toEqual({ plan: 'pro', lifetime_value: 1250.5 });
    expect(fx.sandbox.stats().ignoredFields).toEqual(['users.user_fields.unknown']);
    await fx.session.applyBatch(upsert('users', [user('u1', { 'user_fields.plan': 'enterprise' })]));
    expect(fx.sandbox.records('users')[0]?.user_fields).toEqual({ plan: 'enterprise', lifetime_value: 1250.5 });
  });

  it('upserts organizations with domain_names and organization_fields, rejecting a taken name row by row', async () => {
    fx = await zendeskFixture();
    const orgs = [
      item('co-1', { external_id: 'co-1', name: 'Acme', domain_names: ['acme.com'], 'organization_fields.tier': 'gold' }),
      item('co-2', { external_id: 'co-2', name: 'acme' }),
      item('co-3', { external_id: 'co-3', name: 'Globex', domain_names: [] }),
    ];
    const { results } = await fx.session.applyBatch(upsert('organizations', orgs));
    expect(results.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(results[1]).toMatchObject({ error: { code: 'OrganizationUpdateError', message: 'Name: has already been taken', field: 'name' } });
    const acme = fx.sandbox.records('organizations').find((record) => record.external_id === 'co-1');
    expect(acme).toMatchObject({ name: 'Acme', domain_names: ['acme.com'], organization_fields: { tier: 'gold' } });
  });

  it('upserts organizations through create_many and update_many, as Zendesk has no bulk create-or-update for them', async () => {
    fx = await zendeskFixture();
    const created = await fx.session.applyBatch(upsert('organizations', ['a', 'b', 'c'].map((k) => item(`co-${k}`, { name: `Org ${k}` }))));
    expect(created.results.every((r) => r.status === 'ok')).toBe(true);
    const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId : null));
    expect(ids).toEqual(['a', 'b', 'c'].map((k) => String(fx!.sandbox.records('organizations').find((o) => o.external_id === `co-${k}`)?.id)));

    // The snapshot knows their ids now: renames go through update_many, a new one through create_many.
    const next = [...['a', 'b', 'c'].map((k, i) => item(`co-${k}`, { name: `Org ${k} renamed` }, ids[i]!)), item('co-d', { name: 'Org d' })];
    const second = await fx.session.applyBatch(upsert('organizations', next));
    expect(second.results.map((r) => r.status === 'ok' && r.remoteId)).toEqual([...ids, String(fx.sandbox.records('organizations').find((o) => o.external_id === 'co-d')?.id)]);
    expect(fx.sandbox.records('organizations').map((o) => o.name).sort()).toEqual(['Org a renamed', 'Org b renamed', 'Org c renamed', 'Org d']);
    const stats = fx.sandbox.stats();
    expect(stats.batchSizes).toMatchObject({ 'POST organizations/create_many': [3, 1], 'PUT organizations/update_many': [3] });
    expect(Object.keys(stats.requests).filter((endpoint) => endpoint.includes('create_or_update'))).toEqual([]);

    // The sandbox, like Zendesk, has no such endpoint for organizations.
    const auth = `Basic ${Buffer.from(`${fx.sandbox.credentials.email}/token:${fx.sandbox.credentials.apiToken}`).toString('base64')}`;
    const response = await fetch(`${fx.sandbox.apiUrl}/organizations/create_or_update_many.json`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"organizations":[]}' });
    expect(response.status).toBe(404);
  });

  it('settles an organization the bulk jobs could not place with one create_or_update each, by external_id', async () => {
    fx = await zendeskFixture();
    const first = await fx.session.applyBatch(upsert('organizations', [item('co-1', { name: 'Made earlier' })]));
    const existingId = first.results[0]!.status === 'ok' ? first.results[0]!.remoteId : null;
    // co-1 exists but the snapshot lost its id (a reset); co-2 has an id Zendesk no longer knows; co-3 is new.
    const batch = upsert('organizations', [item('co-1', { name: 'Made earlier, updated' }), item('co-2', { name: 'Deleted in Zendesk' }, '999999'), item('co-3', { name: 'New' })]);
    const before = requestsMade(fx.sandbox);
    const { results, calls } = await fx.session.applyBatch(batch);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(results[0]).toEqual({ status: 'ok', remoteId: existingId });
    const orgs = fx.sandbox.records('organizations');
    expect(orgs.map((o) => [o.external_id, o.name]).sort()).toEqual([
      ['co-1', 'Made earlier, updated'],
      ['co-2', 'Deleted in Zendesk'],
      ['co-3', 'New'],
    ]);
    expect(results[1]).toEqual({ status: 'ok', remoteId: String(orgs.find((o) => o.external_id === 'co-2')?.id) });
    expect(fx.sandbox.stats().requests['POST organizations/create_or_update']).toBe(2);
    // Every request the batch made is counted: both jobs (started, then polled) and the two one-record calls.
    expect(calls).toBe(requestsMade(fx.sandbox) - before);
  });

  it('sends the row key as external_id and matches case-insensitively on re-send', async () => {
    fx = await zendeskFixture();
    await fx.session.applyBatch(upsert('users', [item('K-1', { email: 'k1@example.com', name: 'K' })]));
    const again = await fx.session.applyBatch(upsert('users', [item('k-1', { external_id: 'k-1', email: 'k1@example.com', name: 'K2' })]));
    expect(again.results[0]?.status).toBe('ok');
    expect(fx.sandbox.records('users')).toHaveLength(1);
    expect(fx.sandbox.records('users')[0]?.name).toBe('K2');
  });

  it('refuses a batch not matched on external_id, or with a field that is not a Zendesk field', async () => {
    fx = await zendeskFixture();
    const byEmail = { ...upsert('users', [user('a')]), matchOn: 'email' };
    await expect(fx.session.applyBatch(byEmail)).rejects.toBeInstanceOf(TerminalError);
    await expect(fx.session.applyBatch(upsert('users', [user('a', { 'custom.plan': 'x' })]))).rejects.toThrow(/user_fields\.<key>/);
    await expect(fx.session.applyBatch(upsert('tickets', [user('a')]))).rejects.toThrow(/"users" or "organizations"/);
    expect(fx.sandbox.stats().requests).toEqual({});
  });
});
