import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubspotSandbox, type HubspotSandbox } from '../../../src/sandbox/hubspot/index.ts';

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

/** The /__sandbox/ routes another process (the CLI in a test, the demo) uses to inspect and steer the sandbox. */
describe('hubspot sandbox: read-back and knobs over HTTP', () => {
  let sandbox: HubspotSandbox;
  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer pat-admin' }, body: JSON.stringify(body) });
  beforeAll(async () => {
    sandbox = await startHubspotSandbox();
  });
  afterAll(() => sandbox.close());

  it('exposes records, creations per key and stats; admin calls count against nothing', async () => {
    const inputs = [
      { idProperty: 'email', id: 'a@example.com', properties: { firstname: 'A' }, objectWriteTraceId: 'a' },
      { idProperty: 'email', id: 'b@example.com', properties: { firstname: 'B' }, objectWriteTraceId: 'b' },
    ];
    expect((await post('/crm/v3/objects/contacts/batch/upsert', { inputs })).status).toBe(200);
    const records = await json(await fetch(`${sandbox.url}/__sandbox/records/contacts`));
    expect(records.body.results.map((r: any) => r.properties.email).sort()).toEqual(['a@example.com', 'b@example.com']);
    const creates = await json(await fetch(`${sandbox.url}/__sandbox/creates/contacts?property=email`));
    expect(creates.body).toEqual({ counts: { 'a@example.com': 1, 'b@example.com': 1 } });
    const stats = await json(await fetch(`${sandbox.url}/__sandbox/stats`));
    expect(stats.body).toMatchObject({
      totalRequests: 1,
      requests: { 'POST /crm/v3/objects/contacts/batch/upsert': 1 },
      batchSizes: { 'POST /crm/v3/objects/contacts/batch/upsert': [2] },
      creates: { contacts: 2 },
      statuses: { '200': 1 },
    });
  });

  it('sets knobs over HTTP, refusing unknown ones with the list of known knobs', async () => {
    const set = await json(await post('/__sandbox/knobs', { failNext: 1, failKind: 'http500', requestsPer10s: 7 }));
    expect(set.body).toMatchObject({ failNext: 1, requestsPer10s: 7 });
    const failed = await post('/crm/v3/objects/contacts/batch/read', { inputs: [] });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await post('/crm/v3/objects/contacts/batch/read', { inputs: [] })).headers.get('x-hubspot-ratelimit-max')).toBe('7');
    const bad = await json(await post('/__sandbox/knobs', { failnext: 1 }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/unknown knob "failnext"; known knobs: requestsPer10s/);
    expect(() => sandbox.setKnobs({ resultOrder: 'random' as never })).toThrow(/"input", "reversed" or "shuffled"/);
  });

  it('adds custom objects and properties over HTTP, and resets the limits', async () => {
    expect((await post('/__sandbox/objects', { objectTypeId: '2-777', name: 'boats', properties: [{ name: 'hull', type: 'string', hasUniqueValue: true }] })).status).toBe(201);
    expect((await post('/__sandbox/properties/2-777', { name: 'length_m', type: 'number' })).status).toBe(201);
    const upsert = await post('/crm/v3/objects/p_boats/batch/upsert', {
      inputs: [{ idProperty: 'hull', id: 'H-1', properties: { length_m: '12' }, objectWriteTraceId: 'h' }],
    });
    expect(upsert.status).toBe(200);
    expect(sandbox.records('2-777')[0]?.properties).toMatchObject({ hull: 'H-1', length_m: '12' });

    await post('/__sandbox/knobs', { dailyLimit: 0 });
    expect((await post('/crm/v3/objects/contacts/batch/read', { inputs: [] })).status).toBe(429);
    await post('/__sandbox/knobs', { dailyLimit: 10 });
    expect((await post('/__sandbox/reset-limits', {})).status).toBe(200);
    expect((await post('/crm/v3/objects/contacts/batch/read', { inputs: [] })).status).toBe(200);
  });
});
