import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../src/core/errors.ts';
import { zendeskConnector } from '../../../src/connectors/zendesk/index.ts';
import { item, remove, upsert, user, zendeskFixture, type ZendeskFixture } from './fixture.ts';

let fx: ZendeskFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const remoteIds = (results: { status: string; remoteId?: string | null }[]): string[] => results.map((r) => String(r.remoteId));

describe('zendesk connector: deletes, job cap, budget and options', () => {
  it('deletes exactly the remote ids it is sent (by external_id when it has none); a gone record counts as deleted', async () => {
    fx = await zendeskFixture();
    const created = await fx.session.applyBatch(upsert('users', ['d1', 'd2', 'd3', 'keep'].map((key) => user(key))));
    const [id1, id2] = remoteIds(created.results);
    const { results, calls } = await fx.session.applyBatch(
      remove('users', [item('d1', {}, id1!), item('d3', {}, null), item('ghost', {}, '999'), item('d2', {}, id2!)]),
    );
    expect(results).toEqual([
      { status: 'ok', remoteId: id1 },
      { status: 'ok', remoteId: expect.any(String) },
      { status: 'ok', remoteId: '999' },
      { status: 'ok', remoteId: id2 },
    ]);
    expect(calls).toBe(4); // one destroy_many by ids, one by external_ids, each polled once
    expect(fx.sandbox.records('users').map((record) => record.external_id)).toEqual(['keep']);
    expect(fx.sandbox.deleted('users').map((record) => record.external_id).sort()).toEqual(['d1', 'd2', 'd3']);
    expect(fx.sandbox.stats().batchSizes['DELETE users/destroy_many']).toEqual([3, 1]);
  });

  it('deletes a record whose external_id holds a comma by its id, looked up first: destroy_many would read it as two other records', async () => {
    fx = await zendeskFixture();
    const created = await fx.session.applyBatch(upsert('users', ['acme', '42', 'acme,42'].map((key) => user(key, { email: `${key.replace(/\W/g, '')}@example.com` }))));
    const { results } = await fx.session.applyBatch(remove('users', [item('acme,42', { external_id: 'acme,42' }, null), item('gone,1', { external_id: 'gone,1' }, null)]));
    expect(results).toEqual([
      { status: 'ok', remoteId: remoteIds(created.results)[2] },
      { status: 'ok', remoteId: null }, // nothing holds it: already gone
    ]);
    expect(fx.sandbox.records('users').map((record) => record.external_id).sort()).toEqual(['42', 'acme']);
  });

  it('never has more than maxOutstandingJobs jobs queued: the next batch is refused before it creates one', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    fx = await zendeskFixture({ pollsToComplete: 1 }, { maxOutstandingJobs: 2 }, () => gate);
    const running = [fx.session.applyBatch(upsert('users', [user('j1')])), fx.session.applyBatch(upsert('users', [user('j2')]))];
    while (fx.sleeps.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const third = await fx.session.applyBatch(upsert('users', [user('j3')])).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(RateLimitedError);
    expect(fx.sandbox.stats().jobsCreated).toBe(2);
    open();
    const done = await Promise.all(running);
    expect(done.map((r) => r.results[0]?.status)).toEqual(['ok', 'ok']);
    expect(fx.sandbox.stats().maxOutstandingJobs).toBe(2);
    expect((await fx.session.applyBatch(upsert('users', [user('j3')]))).results[0]?.status).toBe('ok');
  });

  it('declares its budget from requestsPerMinute and caps concurrency at maxOutstandingJobs', () => {
    const options = { subdomain: 'acme', email: 'a@acme.com', apiToken: 'secret-token' };
    expect(zendeskConnector.rateBudget(options)).toEqual({ requests: 200, windowMs: 60_000, maxConcurrent: 25 });
    expect(zendeskConnector.rateBudget({ ...options, requestsPerMinute: 700, maxOutstandingJobs: 10 })).toEqual({ requests: 700, windowMs: 60_000, maxConcurrent: 10 });
    expect(zendeskConnector.accountKey(options)).toBe('zendesk:https://acme.zendesk.com/api/v2');
    expect(zendeskConnector.accountKey({ ...options, baseUrl: 'http://127.0.0.1:9/' })).toBe('zendesk:http://127.0.0.1:9/api/v2');
    expect(zendeskConnector.capabilities('organizations', options)).toMatchObject({ operations: ['upsert', 'delete'], maxBatchSize: { upsert: 100, delete: 100 } });
  });

  it('explains bad options', () => {
    expect(zendeskConnector.validateOptions({ subdomain: 'acme', email: 'a@acme.com', apiToken: 't' })).toEqual([]);
    const problems = zendeskConnector.validateOptions({ subdomain: 'https://acme.zendesk.com', maxOutstandingJobs: 40, requestsPerMinute: 0 });
    expect(problems).toEqual([
      expect.stringContaining('should be just the account name'),
      expect.stringContaining('Set `email`'),
      expect.stringContaining('Set `apiToken`'),
      expect.stringContaining('`requestsPerMinute` must be a positive whole number'),
      expect.stringContaining("exceeds Zendesk's cap of about 30"),
    ]);
    expect(zendeskConnector.validateOptions({ email: 'a', apiToken: 'b' })[0]).toContain('Set `subdomain`');
  });

  it('describes standard attributes and the account\'s custom fields', async () => {
    fx = await zendeskFixture({ userFields: ['plan', 'lifetime_value'] });
    const fields = await fx.session.describe!('users');
    expect(fields).toContainEqual({ name: 'external_id', type: 'string', writable: true, unique: true });
    expect(fields).toContainEqual({ name: 'user_fields.plan', type: 'text', writable: true });
    expect(fields.filter((field) => field.name.startsWith('user_fields.')).map((field) => field.name)).toEqual(['user_fields.lifetime_value', 'user_fields.plan']);
  });
});
