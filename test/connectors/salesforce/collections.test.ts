import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceSession } from '../../../src/connectors/salesforce/index.ts';
import { TerminalError } from '../../../src/core/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { account, batch, item, openSession, tokenOptions } from './helpers.ts';

let sandbox: SalesforceSandbox;
let session: SalesforceSession;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox();
  session = await openSession(tokenOptions(sandbox));
});
afterAll(async () => {
  await session.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('sObject Collections', () => {
  it('upserts by External ID in one call and records each per-record failure against its own key', async () => {
    sandbox.knobs.rejectRowKeys['C-5'] = { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Region is mandatory for enterprise accounts', fields: ['BillingCity'] };
    const items = [
      account('C-1'),
      account('C-2', null),
      account('C-3', 'Ok, "quoted" name'),
      account('C-4', 'Too many', { NumberOfEmployees: 'lots' }),
      account('C-5'),
      account('C-6', 'x'.repeat(300)),
    ];
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));

    expect(result.calls).toBe(1);
    expect(sandbox.stats().requests['PATCH /composite/sobjects/{type}/{field}']).toBe(1);
    expect(sandbox.stats().collectionSizes).toEqual([6]);
    const byKey = new Map(items.map((it, i) => [it.key, result.results[i]!]));
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    expect(byKey.get('C-1')).toEqual({ status: 'ok', remoteId: stored.get('C-1')!['Id'] });
    expect(byKey.get('C-3')).toEqual({ status: 'ok', remoteId: stored.get('C-3')!['Id'] });
    expect(stored.get('C-3')!['Name']).toBe('Ok, "quoted" name');
    expect(byKey.get('C-2')).toMatchObject({ status: 'failed', error: { code: 'REQUIRED_FIELD_MISSING', field: 'Name' } });
    expect(byKey.get('C-4')).toMatchObject({ status: 'failed', error: { code: 'INVALID_TYPE_ON_FIELD_IN_RECORD', field: 'NumberOfEmployees' } });
    expect(byKey.get('C-5')).toMatchObject({ status: 'failed', error: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Region is mandatory for enterprise accounts', field: 'BillingCity' } });
    expect(byKey.get('C-6')).toMatchObject({ status: 'failed', error: { code: 'STRING_TOO_LONG', field: 'Name' } });
    expect([...stored.keys()].sort()).toEqual(['C-1', 'C-3']);
  });

  it('upserts Contacts (INVALID_EMAIL_ADDRESS) and custom objects by their own External ID', async () => {
    const contacts = [
      item('P-1', { External_Id__c: 'P-1', LastName: 'Ann', Email: 'ann@example.com' }),
      item('P-2', { External_Id__c: 'P-2', LastName: 'Bob', Email: 'bad' }),
    ];
    const c = await session.applyBatch(batch('Contact', 'upsert', 'External_Id__c', contacts));
    expect(c.results[0]!.status).toBe('ok');
    expect(c.results[1]).toEqual({
      status: 'failed',
      error: { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: bad', field: 'Email', retryable: false },
    });

    const customers = [item('K-1', { Customer_Key__c: 'K-1', Name: 'Kay', Seats__c: 12.5, Active__c: true, Signed_Up__c: '2024-02-29' })];
    const k = await session.applyBatch(batch('Customer__c', 'upsert', 'Customer_Key__c', customers));
    expect(k.results[0]!.status).toBe('ok');
    expect(sandbox.recordsBy('Customer__c', 'Customer_Key__c').get('K-1')).toMatchObject({ Seats__c: 12.5, Active__c: true, Signed_Up__c: '2024-02-29' });
  });

  it('re-sending an upsert updates in place: no second record, same remote id', async () => {
    const first = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('R-1', 'First')]));
    const again = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('R-1', 'Second')]));
    expect(again.results[0]).toEqual(first.results[0]);
    expect(sandbox.createsPerKey('Account').get('R-1')).toBe(1);
    expect(sandbox.recordsBy('Account', 'External_Id__c').get('R-1')!['Name']).toBe('Second');
  });

  it('creates, then updates by stored Id; a row without a stored Id gets a row error telling what to do', async () => {
    const created = await session.applyBatch(batch('Account', 'create', 'External_Id__c', [account('U-1'), account('U-2')]));
    const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId : null));
    expect(ids.every((id) => typeof id === 'string' && id.startsWith('001'))).toBe(true);
    // A duplicate External ID on create is Salesforce's DUPLICATE_VALUE, not a second record.
    const dup = await session.applyBatch(batch('Account', 'create', 'External_Id__c', [account('U-1')]));
    expect(dup.results[0]).toMatchObject({ status: 'failed', error: { code: 'DUPLICATE_VALUE', field: 'External_Id__c' } });

    const updates = [
      item('U-1', { External_Id__c: 'U-1', Name: 'Renamed', Website: null }, ids[0]!),
      item('U-3', { External_Id__c: 'U-3', Name: 'Never synced' }, null),
      item('U-2', { External_Id__c: 'U-2', Name: 'Also renamed' }, ids[1]!),
    ];
    const updated = await session.applyBatch(batch('Account', 'update', 'External_Id__c', updates));
    expect(updated.results[0]).toEqual({ status: 'ok', remoteId: ids[0] });
    expect(updated.results[2]).toEqual({ status: 'ok', remoteId: ids[1] });
    const missing = updated.results[1]!;
    expect(missing.status).toBe('failed');
    if (missing.status === 'failed') {
      expect(missing.error.code).toBe('MISSING_REMOTE_ID');
      expect(missing.error.message).toMatch(/use mode 'upsert'/i);
      expect(missing.error.message).toMatch(/run a sync that creates or upserts/);
    }
    expect(sandbox.stats().collectionSizes.at(-1)).toBe(2);
    expect(sandbox.recordsBy('Account', 'External_Id__c').get('U-1')).toMatchObject({ Name: 'Renamed', Website: null });
  });

  it('mirror deletes go by Id; an already deleted record counts as deleted, a malformed Id fails', async () => {
    const created = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('D-1'), account('D-2')]));
    const [id1, id2] = created.results.map((r) => (r.status === 'ok' ? r.remoteId! : ''));
    const del = (items: ReturnType<typeof item>[]) => session.applyBatch(batch('Account', 'delete', 'External_Id__c', items));
    const first = await del([item('D-1', {}, id1!)]);
    expect(first.results).toEqual([{ status: 'ok', remoteId: id1 }]);
    const second = await del([item('D-1', {}, id1!), item('D-2', {}, id2!), item('D-3', {}, 'not-an-id'), item('D-4', {}, null)]);
    expect(second.results[0]).toEqual({ status: 'ok', remoteId: id1 });
    expect(second.results[1]).toEqual({ status: 'ok', remoteId: id2 });
    expect(second.results[2]).toMatchObject({ status: 'failed', error: { code: 'MALFORMED_ID' } });
    expect(second.results[3]).toMatchObject({ status: 'failed', error: { code: 'MISSING_REMOTE_ID' } });
    expect(sandbox.records('Account')).toEqual([]);
  });

  it('marks per-row UNABLE_TO_LOCK_ROW as retryable, and the re-sent row goes through', async () => {
    sandbox.knobs.lockRowKeys.push('L-2');
    const items = [account('L-1'), account('L-2'), account('L-3')];
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));
    const locked = result.results[1]!;
    expect(locked).toMatchObject({ status: 'failed', error: { code: 'UNABLE_TO_LOCK_ROW', retryable: true } });
    expect(result.results.filter((r) => r.status === 'ok')).toHaveLength(2);
    const retry = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [items[1]!]));
    expect(retry.results[0]!.status).toBe('ok');
  });

  it('reports the org usage from Sforce-Limit-Info as dailyRemaining', async () => {
    sandbox.setApiUsage(1_000);
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('Q-1')]));
    expect(result.rateLimit).toEqual({ dailyRemaining: 100_000 - 1_001 });
    expect(session.apiUsage()).toEqual({ used: 1_001, limit: 100_000 });
  });

  it('sends a mapped Type (Account.Type, a standard picklist) as the field it is', async () => {
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('T-1', 'Acme', { Type: 'Customer' })]));
    expect(result.results[0]!.status).toBe('ok');
    expect(sandbox.recordsBy('Account', 'External_Id__c').get('T-1')).toMatchObject({ Name: 'Acme', Type: 'Customer' });
  });

  it('refuses a mapped Id or attributes, in any case, before anything is sent', async () => {
    for (const name of ['Id', 'ID', 'attributes']) {
      const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('X-1', 'Acme', { [name]: '001000000000001AAA' })])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect((error as TerminalError).code).toBe('RESERVED_FIELD');
      expect((error as Error).message).toContain(`"${name}" cannot be mapped`);
    }
    expect(sandbox.stats().apiCalls).toBe(0);
  });

  it('stores the text #N/A as text: only Bulk API 2.0 reads it as null', async () => {
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('N-1', 'Acme', { Description: '#N/A' })]));
    expect(result.results[0]!.status).toBe('ok');
    expect(sandbox.recordsBy('Account', 'External_Id__c').get('N-1')!['Description']).toBe('#N/A');
  });

  it('joins a list with ";" for a multi-select picklist, after one describe per object and session', async () => {
    const fresh = await openSession(tokenOptions(sandbox));
    const regions = (key: string, list: string[]) => account(key, 'Acme', { Regions__c: list, Description: list });
    const first = await fresh.applyBatch(batch('Account', 'upsert', 'External_Id__c', [regions('M-1', ['EMEA', 'APAC']), regions('M-2', []), regions('M-5', ['North;South'])]));
    expect(first.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    // describe, then the upsert; the next batch with lists reuses what describe said.
    expect(first.calls).toBe(2);
    const second = await fresh.applyBatch(batch('Account', 'upsert', 'External_Id__c', [regions('M-3', ['AMER'])]));
    expect(second.calls).toBe(1);
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    expect(stored.get('M-1')).toMatchObject({ Regions__c: 'EMEA;APAC', Description: '["EMEA","APAC"]' });
    expect(stored.get('M-2')).toMatchObject({ Regions__c: null, Description: '[]' });
    // A value holding the separator cannot be joined without becoming two values: it stays JSON text.
    expect(stored.get('M-5')!['Regions__c']).toBe('["North;South"]');
    expect(stored.get('M-3')!['Regions__c']).toBe('AMER');
    await fresh.close();
    // A batch without lists needs no describe.
    const other = await openSession(tokenOptions(sandbox));
    expect((await other.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account('M-4')]))).calls).toBe(1);
    await other.close();
  });
});
