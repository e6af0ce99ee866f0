import { afterEach, describe, expect, it } from 'vitest';
import { upsertResults } from '../../../src/connectors/zendesk/results.ts';
import { item, upsert, user, zendeskFixture, type ZendeskFixture } from './fixture.ts';

let fx: ZendeskFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

// Zendesk's create_or_update_many results carry id, status and the user's email; no external_id, and
// a failure has no index (its `id` is its position). Community post 4408861015066, where Zendesk's
// developer advocacy also confirms results keep the order of the request.
describe('zendesk connector: user upsert results in the shape Zendesk returns', () => {
  it('a sync that maps no email pairs results by position: every written row gets its own id', async () => {
    fx = await zendeskFixture({ pollsToComplete: 0 });
    await fx.session.applyBatch(upsert('users', ['n0', 'n1', 'n2'].map((key) => user(key)))); // the users exist, with emails
    fx.sandbox.knobs.failExternalIds = ['n1'];

    const renamed = ['n0', 'n1', 'n2'].map((key) => item(key, { external_id: key, name: `Renamed ${key}` }));
    const { results } = await fx.session.applyBatch(upsert('users', renamed));

    const stored = new Map(fx.sandbox.records('users').map((record) => [record.external_id, String(record.id)]));
    expect(results[0]).toEqual({ status: 'ok', remoteId: stored.get('n0') });
    expect(results[1]).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('n1 was rejected') } });
    expect(results[2]).toEqual({ status: 'ok', remoteId: stored.get('n2') });
    expect(fx.sandbox.records('users').map((record) => record.name)).toEqual(['Renamed n0', 'Customer n1', 'Renamed n2']);
  });

  it('a row whose email Zendesk did not take as primary still gets its result, by position', () => {
    // Zendesk's email is writable on create only: on update the new address becomes a secondary
    // identity, and the result echoes the primary one the row no longer sends.
    const records = [
      { external_id: 'u-1', email: 'ann.new@example.com', name: 'Ann' },
      { external_id: 'u-2', email: 'bob@example.com', name: 'Bob' },
    ];
    const entries = [
      { id: 1001, status: 'Updated', email: 'ann@example.com' },
      { id: 1002, status: 'Updated', email: 'bob@example.com' },
    ];
    expect(upsertResults(records, entries, 'user_fields')).toEqual([
      { status: 'ok', remoteId: '1001' },
      { status: 'ok', remoteId: '1002' },
    ]);
    // Position is trusted only with one entry per row: with a row's entry missing, neither row gets
    // one it may not own (bob's entry still finds bob by email).
    expect(upsertResults(records, entries.slice(1), 'user_fields').map((r) => (r.status === 'ok' ? r.remoteId : r.error.code))).toEqual(['ZENDESK_NO_RESULT', '1002']);
  });
});
