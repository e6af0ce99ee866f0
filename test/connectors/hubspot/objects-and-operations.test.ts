import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotConnector } from '../../../src/connectors/hubspot/index.ts';
import { batch, contact, item, recordsBy, startRig, type Rig } from './helpers.ts';

describe('hubspot connector: definition', () => {
  it('validates options with messages that say what to set', () => {
    expect(hubspotConnector.validateOptions({ accessToken: 'pat' })).toEqual([]);
    // Config validation sees secret references before they are resolved.
    expect(hubspotConnector.validateOptions({ accessToken: { $env: 'HUBSPOT_TOKEN' }, requestsPer10s: 190 })).toEqual([]);
    expect(hubspotConnector.validateOptions({})).toEqual([expect.stringContaining('"accessToken" is required')]);
    expect(hubspotConnector.validateOptions({ accessToken: 'pat', requestsPer10s: 0, baseUrl: 'ftp://x', acessToken: 'typo' })).toHaveLength(3);
  });

  it('budgets by the account tier and keys the account without the token', () => {
    const options = { accessToken: 'pat-secret', requestsPer10s: 190 };
    expect(hubspotConnector.rateBudget(options)).toEqual({ requests: 190, windowMs: 10_000, maxConcurrent: 5 });
    expect(hubspotConnector.rateBudget({ accessToken: 'x' })).toEqual({ requests: 100, windowMs: 10_000, maxConcurrent: 5 });
    const key = hubspotConnector.accountKey({ ...options, baseUrl: 'http://127.0.0.1:1234/' });
    expect(key).toMatch(/^hubspot:http:\/\/127\.0\.0\.1:1234:[0-9a-f]{12}$/);
    expect(key).not.toContain('pat-secret');
    expect(hubspotConnector.accountKey({ accessToken: 'other' })).toMatch(/^hubspot:https:\/\/api\.hubapi\.com:/);
  });

  it('knows contacts, companies, deals and custom objects, with batches of 100', () => {
    for (const object of ['contacts', 'companies', 'deals', '2-123456', 'p_cars', 'p4455_cars']) {
      expect(hubspotConnector.capabilities(object, {}).maxBatchSize).toEqual({ upsert: 100, create: 100, update: 100, delete: 100 });
    }
    expect(() => hubspotConnector.capabilities('Contacts ', {})).toThrow(/unknown object/);
  });
});

describe('hubspot connector: operations against the sandbox', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
    rig.sandbox.addObject({
      objectTypeId: '2-123456',
      name: 'cars',
      properties: [
        { name: 'vin', type: 'string', hasUniqueValue: true },
        { name: 'model', type: 'string' },
        { name: 'year', type: 'number' },
      ],
    });
  });
  afterAll(() => rig.close());

  it('upserts deals by a unique custom property, storing values as HubSpot strings', async () => {
    const deal = (id: string, amount: number) =>
      item(id, { ebb_deal_id: id, dealname: `Deal ${id}`, amount, dealstage: 'qualifiedtobuy', pipeline: 'default', closedate: '2025-03-01T00:00:00.000Z' });
    const result = await rig.session.applyBatch(batch('deals', 'upsert', 'ebb_deal_id', [deal('D-1', 1200), deal('D-2', 99.5)]));
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    const stored = recordsBy(rig.sandbox, 'deals', 'ebb_deal_id').get('D-2');
    expect(stored?.properties).toMatchObject({ amount: '99.5', dealstage: 'qualifiedtobuy', closedate: '2025-03-01T00:00:00.000Z' });
  });

  it('writes a custom object addressed by type id and by p_<name>, to the same records', async () => {
    const car = (vin: string, year: number) => item(vin, { vin, model: 'Estate', year });
    const first = await rig.session.applyBatch(batch('2-123456', 'upsert', 'vin', [car('VIN1', 2019), car('VIN2', 2021)]));
    const again = await rig.session.applyBatch(batch('p_cars', 'upsert', 'vin', [car('VIN1', 2020)]));
    expect(first.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(again.results[0]).toEqual(first.results[0]);
    expect(rig.sandbox.records('2-123456').map((r) => [r.properties.vin, r.properties.year]).sort()).toEqual([
      ['VIN1', '2020'],
      ['VIN2', '2021'],
    ]);
  });

  it('creates, then updates by remote id and by idProperty when the snapshot has no id', async () => {
    const created = await rig.session.applyBatch(batch('contacts', 'create', 'email', [contact(1), contact(2)]));
    const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId : null));
    expect(ids.every((id) => typeof id === 'string')).toBe(true);

    const byId = item('user1@example.com', { email: 'user1@example.com', firstname: 'Renamed' }, ids[0] ?? null);
    const byEmail = item('user2@example.com', { email: 'user2@example.com', lastname: 'Smith' });
    const gone = item('ghost@example.com', { email: 'ghost@example.com', firstname: 'Nobody' });
    const updated = await rig.session.applyBatch(batch('contacts', 'update', 'email', [byId, byEmail, gone]));
    expect(updated.results[0]).toEqual({ status: 'ok', remoteId: ids[0] });
    expect(updated.results[1]).toEqual({ status: 'ok', remoteId: ids[1] });
    expect(updated.results[2]).toMatchObject({ status: 'failed', error: { code: 'OBJECT_NOT_FOUND' } });
    const stored = recordsBy(rig.sandbox, 'contacts', 'email');
    expect(stored.get('user1@example.com')?.properties.firstname).toBe('Renamed');
    expect(stored.get('user2@example.com')?.properties.lastname).toBe('Smith');
  });

  it('deletes by remote id in one call, and by idProperty with one lookup first', async () => {
    const created = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', [contact(10), contact(11)]));
    const remoteId = created.results[0]?.status === 'ok' ? created.results[0].remoteId : null;
    const byRemote = await rig.session.applyBatch(batch('contacts', 'delete', 'email', [item('user10@example.com', {}, remoteId)]));
    expect(byRemote).toMatchObject({ calls: 1, results: [{ status: 'ok', remoteId }] });

    const byKey = await rig.session.applyBatch(
      batch('contacts', 'delete', 'email', [item('user11@example.com', {}), item('never-existed@example.com', {})]),
    );
    expect(byKey.calls).toBe(2);
    expect(byKey.results[0]).toMatchObject({ status: 'ok', remoteId: expect.any(String) });
    expect(byKey.results[1]).toEqual({ status: 'ok', remoteId: null });
    const stored = recordsBy(rig.sandbox, 'contacts', 'email');
    expect(stored.has('user10@example.com') || stored.has('user11@example.com')).toBe(false);
  });

  it('fails a row with no key without sending it, and an empty batch costs no call', async () => {
    const result = await rig.session.applyBatch(batch('contacts', 'upsert', 'email', [item('k', { email: null, firstname: 'X' }), contact(20)]));
    expect(result.results[0]).toMatchObject({ status: 'failed', error: { code: 'MISSING_MATCH_KEY', field: 'email' } });
    expect(result.results[1]?.status).toBe('ok');
    expect(await rig.session.applyBatch(batch('contacts', 'upsert', 'email', []))).toEqual({ results: [], calls: 0 });
  });

  it('sends numbers, booleans, dates and lists as the strings HubSpot expects; null clears', async () => {
    rig.sandbox.addProperty('contacts', {
      name: 'interests',
      type: 'enumeration',
      fieldType: 'checkbox',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    });
    const fields = { email: 'typed@example.com', hs_email_optout: true, num_employees_custom: 12, date_of_birth: '1990-02-03', interests: ['a', 'b'], phone: '+1 555' };
    await rig.session.applyBatch(batch('contacts', 'upsert', 'email', [item('typed@example.com', fields)]));
    await rig.session.applyBatch(batch('contacts', 'upsert', 'email', [item('typed@example.com', { ...fields, phone: null })]));
    const stored = recordsBy(rig.sandbox, 'contacts', 'email').get('typed@example.com')?.properties;
    expect(stored).toMatchObject({ hs_email_optout: 'true', num_employees_custom: '12', date_of_birth: '1990-02-03', interests: 'a;b' });
    expect(stored?.phone).toBeUndefined();
  });

  it('refuses a batch larger than HubSpot accepts', async () => {
    const items = Array.from({ length: 101 }, (_, i) => contact(500 + i));
    await expect(rig.session.applyBatch(batch('contacts', 'upsert', 'email', items))).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
  });
});
