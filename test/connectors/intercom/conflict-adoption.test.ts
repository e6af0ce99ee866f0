import { IntercomClient } from 'intercom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conflictingContactId } from '../../../src/connectors/intercom/contacts.ts';
import { contactItem, contactsByExternalId, requestsSince, startRig, statuses, type IntercomRig } from './harness.ts';

/**
 * Intercom answers 409 "A contact matching those details already exists with id=..." when a create
 * clashes on email or external_id. The connector must end such an upsert as an update of that contact.
 */
describe('intercom connector: 409 conflict on create becomes an update', () => {
  let rig: IntercomRig;
  let outside: IntercomClient;

  beforeAll(async () => {
    rig = await startRig();
    outside = new IntercomClient({ token: rig.sandbox.token, baseUrl: rig.sandbox.url, maxRetries: 0 });
  });
  afterAll(() => rig.close());
  beforeEach(() => {
    rig.sandbox.reset();
    rig.sandbox.setKnobs({ searchLagMs: 0 });
  });

  it('adopts a contact created outside Ebb with the same email (search by external_id cannot find it)', async () => {
    const existing = await outside.contacts.create({ role: 'user', email: 'ann@example.com', name: 'Ann (typed by hand)' });
    const before = rig.sandbox.stats();

    const result = await rig.apply('upsert', [contactItem('cust-1', { email: 'ann@example.com', name: 'Ann Lee' })]);

    expect(result.results).toEqual([{ status: 'ok', remoteId: existing.id }]);
    const records = rig.sandbox.records('contacts');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: existing.id, external_id: 'cust-1', email: 'ann@example.com', name: 'Ann Lee' });
    const stats = rig.sandbox.stats();
    expect(stats.conflicts).toBe(1);
    expect(stats.createsPerKey.contacts).toEqual({ 'ann@example.com': 1 });
    // schema, search (miss), create (409), read of the holder (no external_id: free to adopt), update
    expect(requestsSince(before.byEndpoint, stats.byEndpoint)).toEqual({
      'GET /data_attributes': 1,
      'POST /contacts/search': 1,
      'POST /contacts': 1,
      'GET /contacts/{id}': 1,
      'PUT /contacts/{id}': 1,
    });
    expect(result.calls).toBe(stats.requests - before.requests);
  });

  it('adopts a contact with the same external_id that search does not show yet (eventual consistency)', async () => {
    rig.sandbox.setKnobs({ searchLagMs: 60_000 });
    const existing = await outside.contacts.create({ role: 'user', external_id: 'cust-2', email: 'bo@example.com' });

    const result = await rig.apply('upsert', [contactItem('cust-2', { email: 'bo@example.com', name: 'Bo' })]);

    expect(result.results).toEqual([{ status: 'ok', remoteId: existing.id }]);
    expect(contactsByExternalId(rig.sandbox).get('cust-2')).toMatchObject({ id: existing.id, name: 'Bo' });
    expect(rig.sandbox.stats().createsPerKey.contacts).toEqual({ 'cust-2': 1 });
  });

  it('a re-sent create batch (crash after Intercom wrote it) ends as updates, never duplicates', async () => {
    rig.sandbox.setKnobs({ searchLagMs: 60_000 });
    const items = ['a', 'b', 'c'].map((k) => contactItem(`cust-${k}`, { 'custom_attributes.plan': 'starter' }));
    const first = await rig.apply('create', items);
    const again = await rig.apply('create', items.map((i) => ({ ...i, fields: { ...i.fields, 'custom_attributes.plan': 'pro' } })));

    expect(statuses(first)).toEqual(['ok', 'ok', 'ok']);
    expect(again.results).toEqual(first.results);
    expect(rig.sandbox.stats().createsPerKey.contacts).toEqual({ 'cust-a': 1, 'cust-b': 1, 'cust-c': 1 });
    expect([...contactsByExternalId(rig.sandbox).values()].map((r) => r['custom_attributes.plan'])).toEqual(['pro', 'pro', 'pro']);
  });

  it("never takes over another record's contact: a second external_id with the same email is a row failure", async () => {
    const [first] = (await rig.apply('upsert', [contactItem('cu-1', { email: 'shared@acme.com', name: 'Alice' })])).results;

    const result = await rig.apply('upsert', [contactItem('cu-2', { email: 'shared@acme.com', name: 'Bob' })]);

    expect(result.results[0]).toMatchObject({ status: 'failed', error: { code: 'CONFLICT' } });
    const failure = result.results[0];
    expect(failure?.status === 'failed' && failure.error.message).toMatch(/belongs to external_id "cu-1".*Fix the duplicate email in the model/);
    const records = rig.sandbox.records('contacts');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: first?.status === 'ok' ? first.remoteId : 'missing', external_id: 'cu-1', name: 'Alice' });
  });

  it('reads the contact id out of the 409 message, and refuses other errors', async () => {
    await outside.contacts.create({ role: 'user', email: 'dup@example.com' });
    const conflict = await outside.contacts.create({ role: 'user', email: 'dup@example.com' }).catch((e: unknown) => e);
    const existingId = rig.sandbox.records('contacts')[0]?.id;
    expect(conflictingContactId(conflict)).toBe(existingId);
    const invalid = await outside.contacts.create({ role: 'user', email: 'broken' }).catch((e: unknown) => e);
    expect(conflictingContactId(invalid)).toBeNull();
  });

  it('an update whose email belongs to another contact is a row failure with Intercom\'s conflict', async () => {
    const [first, second] = (await rig.apply('upsert', [contactItem('cust-x'), contactItem('cust-y')])).results;
    const clash = contactItem('cust-y', { email: 'cust-x@example.com' }, second?.status === 'ok' ? second.remoteId : null);

    const result = await rig.apply('update', [clash]);

    expect(first?.status).toBe('ok');
    expect(result.results[0]).toMatchObject({ status: 'failed', error: { code: 'conflict' } });
    expect(contactsByExternalId(rig.sandbox).get('cust-y')?.email).toBe('cust-y@example.com');
  });
});
