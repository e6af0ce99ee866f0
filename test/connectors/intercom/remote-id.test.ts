import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../../src/connectors/connector.ts';
import { contactItem, contactsByExternalId, requestsSince, startRig, statuses, type IntercomRig } from './harness.ts';

function remoteIds(result: BatchResult): Array<string | null> {
  return result.results.map((r) => (r.status === 'ok' ? r.remoteId : null));
}

describe('intercom connector: addressing by the stored remote id', () => {
  let rig: IntercomRig;

  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.sandbox.reset());

  it('an upsert with a stored remote id is one PUT per record: no search, no create', async () => {
    const created = await rig.apply('upsert', [contactItem('c-1'), contactItem('c-2')]);
    const ids = remoteIds(created);
    const before = rig.sandbox.stats();

    const updated = await rig.apply('upsert', [contactItem('c-1', { name: 'Renamed 1' }, ids[0]), contactItem('c-2', { name: 'Renamed 2' }, ids[1])]);

    expect(remoteIds(updated)).toEqual(ids);
    expect(updated.calls).toBe(2);
    expect(requestsSince(before.byEndpoint, rig.sandbox.stats().byEndpoint)).toEqual({ 'PUT /contacts/{id}': 2 });
    expect(contactsByExternalId(rig.sandbox).get('c-1')?.name).toBe('Renamed 1');
  });

  it('an upsert whose stored contact was deleted outside Ebb re-creates it', async () => {
    const [created] = remoteIds(await rig.apply('upsert', [contactItem('c-3')]));
    await rig.apply('delete', [{ key: 'c-3', fields: {}, changedFields: [], remoteId: created ?? null }]);

    const again = await rig.apply('upsert', [contactItem('c-3', { name: 'Back' }, created)]);

    const [newId] = remoteIds(again);
    expect(newId).toBeTruthy();
    expect(newId).not.toBe(created);
    expect(contactsByExternalId(rig.sandbox).get('c-3')).toMatchObject({ id: newId, name: 'Back' });
  });

  it('update without a remote id finds the contact by external_id; a missing one is a not_found row', async () => {
    await rig.apply('upsert', [contactItem('c-4')]);

    const result = await rig.apply('update', [contactItem('c-4', { name: 'Found by search' }), contactItem('c-404')]);

    expect(statuses(result)).toEqual(['ok', 'not_found']);
    expect(contactsByExternalId(rig.sandbox).get('c-4')?.name).toBe('Found by search');
    expect(contactsByExternalId(rig.sandbox).has('c-404')).toBe(false);
  });

  it('the role option applies on create only; a mapped role field is always sent', async () => {
    const lead = await rig.apply('upsert', [contactItem('c-5', { role: 'lead' })]);
    await rig.apply('upsert', [contactItem('c-5', { name: 'Still a lead' }, remoteIds(lead)[0])]);
    expect(contactsByExternalId(rig.sandbox).get('c-5')).toMatchObject({ role: 'lead', name: 'Still a lead' });
    await rig.apply('upsert', [contactItem('c-5', { role: 'user' }, remoteIds(lead)[0])]);
    expect(contactsByExternalId(rig.sandbox).get('c-5')?.role).toBe('user');
  });

  it('deletes by remote id, by external_id without one, and treats already-gone records as deleted', async () => {
    const ids = remoteIds(await rig.apply('upsert', [contactItem('d-1'), contactItem('d-2')]));
    const gone = (key: string, remoteId: string | null) => ({ key, fields: {}, changedFields: [], remoteId });

    const first = await rig.apply('delete', [gone('d-1', ids[0] ?? null), gone('d-2', null)]);
    const resent = await rig.apply('delete', [gone('d-1', ids[0] ?? null), gone('d-2', null)]);

    expect(first.results).toEqual([
      { status: 'ok', remoteId: ids[0] },
      { status: 'ok', remoteId: ids[1] },
    ]);
    expect(statuses(resent)).toEqual(['ok', 'ok']);
    expect(rig.sandbox.records('contacts')).toEqual([]);
  });
});
