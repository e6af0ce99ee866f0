import { afterEach, describe, expect, it } from 'vitest';
import { item, remove, upsert, user, zendeskFixture, type ZendeskFixture } from './fixture.ts';

let fx: ZendeskFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const NO_RESULT = { status: 'failed', error: { code: 'ZENDESK_NO_RESULT', message: expect.stringContaining('stays pending') } };
const externalIds = (fixture: ZendeskFixture): string[] => fixture.sandbox.records('users').map((record) => String(record.external_id));

describe('zendesk connector: a job whose results[] leaves rows out', () => {
  it('a user upsert: the row without a result fails ZENDESK_NO_RESULT, the others keep their own ids', async () => {
    fx = await zendeskFixture({ jobSkipRows: [1] });
    const { results } = await fx.session.applyBatch(upsert('users', ['u0', 'u1', 'u2'].map((key) => user(key))));
    const stored = new Map(fx.sandbox.records('users').map((record) => [record.external_id, String(record.id)]));
    expect(results).toEqual([{ status: 'ok', remoteId: stored.get('u0') }, NO_RESULT, { status: 'ok', remoteId: stored.get('u2') }]);
    expect(stored.has('u1')).toBe(false);
  });

  it('a delete by external_id (results carry no key): no row is acknowledged by position past the gap', async () => {
    fx = await zendeskFixture();
    await fx.session.applyBatch(upsert('users', ['d0', 'd1', 'd2', 'keep'].map((key) => user(key))));
    fx.sandbox.knobs.jobSkipRows = [1];
    const { results } = await fx.session.applyBatch(remove('users', ['d0', 'd1', 'd2'].map((key) => item(key, {}, null))));
    // Two unkeyed results for three rows: which row each belongs to is unknown, so none is taken as deleted.
    expect(results).toEqual([NO_RESULT, NO_RESULT, NO_RESULT]);
    expect(externalIds(fx)).toEqual(['d1', 'keep']);

    // Proposed again next run: the rows already gone count as deleted, d1 is deleted now.
    fx.sandbox.knobs.jobSkipRows = [];
    const again = await fx.session.applyBatch(remove('users', ['d0', 'd1', 'd2'].map((key) => item(key, {}, null))));
    expect(again.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(externalIds(fx)).toEqual(['keep']);
  });

  it('a delete by remote id: results carry the id, so only the skipped row fails', async () => {
    fx = await zendeskFixture();
    const created = await fx.session.applyBatch(upsert('users', ['d0', 'd1', 'd2'].map((key) => user(key))));
    const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId! : ''));
    fx.sandbox.knobs.jobSkipRows = [1];
    const { results } = await fx.session.applyBatch(remove('users', ['d0', 'd1', 'd2'].map((key, i) => item(key, {}, ids[i]!))));
    expect(results).toEqual([{ status: 'ok', remoteId: ids[0] }, NO_RESULT, { status: 'ok', remoteId: ids[2] }]);
    expect(externalIds(fx)).toEqual(['d1']);
  });
});
