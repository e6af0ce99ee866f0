import zendesk from 'node-zendesk';
import { afterEach, describe, expect, it } from 'vitest';
import { startZendeskSandbox, type ZendeskSandbox, type ZendeskSandboxOptions } from '../../../src/sandbox/zendesk/index.ts';

/** node-zendesk's request surface, typed loosely: its .d.ts says request() returns a NodeModule. */
type Raw = { request(method: string, uri: unknown[], body?: unknown): Promise<{ response: { status: number; headers: { get(name: string): string | null } }; result: any }> };

let sandbox: ZendeskSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: ZendeskSandboxOptions = {}, token?: string) {
  sandbox = await startZendeskSandbox(options);
  const client = zendesk.createClient({ username: sandbox.credentials.email, token: token ?? sandbox.credentials.apiToken, endpointUri: sandbox.apiUrl, throwOriginalException: true });
  return { client, raw: client.jobstatuses as unknown as Raw };
}

describe('zendesk sandbox, driven by the real node-zendesk client', () => {
  it('runs create_or_update_many as a job: queued, working, then completed with per-row results in request order', async () => {
    const { client, raw } = await start({ pollsToComplete: 2 });
    const created = await raw.request('POST', ['users', 'create_or_update_many'], {
      users: [
        { external_id: 'u-1', email: 'ann@example.com', name: 'Ann', user_fields: { plan: 'pro' } },
        { external_id: 'u-2', email: 'bad@', name: 'Bob' },
      ],
    });
    expect(created.result.job_status).toMatchObject({ status: 'queued', total: 2, progress: 0, results: null });
    expect(created.result.job_status.url).toBe(`${sandbox!.apiUrl}/job_statuses/${created.result.job_status.id}.json`);
    expect(sandbox!.records('users')).toHaveLength(0);

    const id = created.result.job_status.id as string;
    const working = (await client.jobstatuses.show(id)) as unknown as { result: { job_status: any } };
    expect(working.result.job_status).toMatchObject({ status: 'working', progress: 1 });
    const done = (await client.jobstatuses.show(id)) as unknown as { result: { job_status: any } };
    expect(done.result.job_status.status).toBe('completed');
    expect(done.result.job_status.message).toMatch(/^Completed at /);
    // Zendesk's shape (community post 4408861015066): no external_id on a success, no index on a
    // failure, whose `id` is its position in the request.
    expect(done.result.job_status.results).toEqual([
      { id: sandbox!.records('users')[0]!.id, status: 'Created', email: 'ann@example.com' },
      { id: 1, error: 'UserUpdateError', details: 'Email: bad@ is not properly formatted', status: 'Failed' },
    ]);
    expect(sandbox!.stats().createsPerKey.users).toEqual({ 'u-1': 1 });
  });

  it('matches users by external_id case-insensitively, then by email', async () => {
    const { raw } = await start({ pollsToComplete: 0 });
    await raw.request('POST', ['users', 'create_or_update_many'], { users: [{ email: 'lee@example.com', name: 'Lee' }] });
    const second = await raw.request('POST', ['users', 'create_or_update_many'], { users: [{ external_id: 'L-1', email: 'LEE@example.com', name: 'Lee B' }] });
    expect(second.result.job_status.results[0]).toEqual({ id: sandbox!.records('users')[0]!.id, status: 'Updated', email: 'LEE@example.com' });
    const third = await raw.request('POST', ['users', 'create_or_update_many'], { users: [{ external_id: 'l-1', name: 'Lee C' }] });
    expect(third.result.job_status.results[0].status).toBe('Updated');
    expect(sandbox!.records('users')).toMatchObject([{ external_id: 'l-1', email: 'LEE@example.com', name: 'Lee C' }]);
  });

  it('refuses what Zendesk refuses: a bare array (sent by node-zendesk as an empty body), more than 100 rows, bad credentials', async () => {
    const { client, raw } = await start();
    await expect(client.users.createOrUpdateMany([{ external_id: 'x', name: 'X' }])).rejects.toMatchObject({ statusCode: 400 });
    const many = Array.from({ length: 101 }, (_, i) => ({ external_id: `k${i}`, name: 'K' }));
    await expect(raw.request('POST', ['users', 'create_or_update_many'], { users: many })).rejects.toMatchObject({ statusCode: 400, result: { error: 'TooManyValues' } });
    const { raw: wrong } = await start({}, 'bad-token');
    await expect(wrong.request('GET', ['users', 'show_many', { ids: '1' }])).rejects.toMatchObject({ statusCode: 401, result: { error: "Couldn't authenticate you" } });
  });

  it('reads back with show_many and search, and soft-deletes with destroy_many', async () => {
    const { client, raw } = await start({ pollsToComplete: 0 });
    await raw.request('POST', ['organizations', 'create_many'], {
      organizations: [
        { external_id: 'o-1', name: 'Acme', domain_names: ['acme.com'] },
        { external_id: 'o-2', name: 'Globex' },
      ],
    });
    const shown = (await client.organizations.showManyByExternalIds(['O-1', 'o-2'])) as unknown as { name: string }[];
    expect(shown.map((org) => org.name)).toEqual(['Acme', 'Globex']);
    const searched = await raw.request('GET', ['organizations', 'search', { external_id: 'o-2' }]);
    expect(searched.result.organizations).toHaveLength(1);
    const destroyed = await raw.request('DELETE', ['organizations', 'destroy_many', { external_ids: 'o-1,nope' }]);
    expect(destroyed.result.job_status.results).toEqual([
      { id: expect.any(Number), action: 'delete', success: true, status: 'Deleted' },
      { index: 1, id: 'nope', action: 'delete', success: false, status: 'Failed', error: 'RecordNotFound', details: 'Not found: nope' },
    ]);
    expect(sandbox!.records('organizations').map((org) => org.name)).toEqual(['Globex']);
    expect(sandbox!.deleted('organizations')).toMatchObject([{ name: 'Acme', active: false }]);
  });

  it('sends X-Rate-Limit headers and answers 429 + Retry-After past the limit (node-zendesk resolves it)', async () => {
    const { raw } = await start({ requestsPerMinute: 2, windowMs: 1000 });
    const first = await raw.request('GET', ['users', 'show_many', { ids: '1' }]);
    expect(first.response.headers.get('x-rate-limit')).toBe('2');
    expect(first.response.headers.get('x-rate-limit-remaining')).toBe('1');
    await raw.request('GET', ['users', 'show_many', { ids: '1' }]);
    const limited = await raw.request('GET', ['users', 'show_many', { ids: '1' }]);
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('retry-after')).toBe('1');
    expect(limited.result).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await raw.request('GET', ['users', 'show_many', { ids: '1' }])).response.status).toBe(200);
    expect(sandbox!.stats().rateLimited).toBe(1);
  });

  it('caps queued jobs: the job after maxQueuedJobs gets 429 until one completes', async () => {
    const { raw } = await start({ maxQueuedJobs: 2, pollsToComplete: 1 });
    const body = () => ({ users: [{ external_id: 'q', email: 'q@example.com', name: 'Q' }] });
    const a = await raw.request('POST', ['users', 'create_or_update_many'], body());
    await raw.request('POST', ['users', 'create_or_update_many'], body());
    const refused = await raw.request('POST', ['users', 'create_or_update_many'], body());
    expect(refused.response.status).toBe(429);
    await raw.request('GET', ['job_statuses', a.result.job_status.id]);
    const accepted = await raw.request('POST', ['users', 'create_or_update_many'], body());
    expect(accepted.response.status).toBe(200);
    expect(sandbox!.stats().maxOutstandingJobs).toBe(2);
  });

  it('ignores undefined custom fields like Zendesk, and lists the defined ones', async () => {
    const { raw } = await start({ pollsToComplete: 0, userFields: ['plan'] });
    await raw.request('POST', ['users', 'create_or_update_many'], { users: [{ external_id: 'f', name: 'F', user_fields: { plan: 'pro', typo: 1 }, favourite_colour: 'red' }] });
    expect(sandbox!.records('users')[0]?.user_fields).toEqual({ plan: 'pro' });
    expect(sandbox!.stats().ignoredFields).toEqual(['users.user_fields.typo', 'users.favourite_colour']);
    const fields = await raw.request('GET', ['user_fields']);
    expect(fields.result.user_fields.map((field: { key: string }) => field.key)).toEqual(['plan']);
  });

  it('exposes records, stats and knobs over HTTP under /__sandbox/', async () => {
    const { raw } = await start({ pollsToComplete: 0 });
    await raw.request('POST', ['users', 'create_or_update_many'], { users: [{ external_id: 'h', name: 'H' }] });
    const records = (await (await fetch(`${sandbox!.url}/__sandbox/records/users`)).json()) as { external_id: string }[];
    expect(records.map((record) => record.external_id)).toEqual(['h']);
    const stats = (await (await fetch(`${sandbox!.url}/__sandbox/stats`)).json()) as { requests: Record<string, number> };
    expect(stats.requests).toEqual({ 'POST users/create_or_update_many': 1 });
    const knobs = await fetch(`${sandbox!.url}/__sandbox/knobs`, { method: 'POST', body: JSON.stringify({ failNext: 1, failStatus: 503 }) });
    expect(knobs.status).toBe(200);
    await expect(raw.request('GET', ['users', 'show_many', { ids: '1' }])).rejects.toMatchObject({ statusCode: 503 });
    const unknown = await fetch(`${sandbox!.url}/__sandbox/knobs`, { method: 'POST', body: JSON.stringify({ nope: 1 }) });
    expect(unknown.status).toBe(400);
  });
});
