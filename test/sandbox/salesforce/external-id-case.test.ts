import { describe, expect, it } from 'vitest';
import { jsforceAgainstSandbox } from './jsforce-sandbox.ts';

// Customer__c.Customer_Key__c is a unique, case-insensitive External ID; Account.External_Id__c a
// unique, case-sensitive one. Salesforce matches the first ignoring case and the second exactly.
const sf = jsforceAgainstSandbox();

const INSENSITIVE = { object: 'Customer__c', field: 'Customer_Key__c' };
const SENSITIVE = { object: 'Account', field: 'External_Id__c' };

const record = (key: { field: string }, value: string, name: string) => ({ [key.field]: value, Name: name });

async function upsertOne(key: { object: string; field: string }, value: string, name: string): Promise<{ id?: string; created?: boolean; success: boolean }> {
  const [result] = await sf.conn.sobject(key.object).upsert([record(key, value, name)], key.field, { allOrNone: false });
  return result as { id?: string; created?: boolean; success: boolean };
}

describe('describe', () => {
  it('reports caseSensitive as Salesforce does: false for text fields, true only for a unique field made case-sensitive', async () => {
    const fieldsOf = async (object: string) => new Map((await sf.conn.describe(object)).fields.map((f) => [f.name, f]));
    const customer = await fieldsOf('Customer__c');
    const account = await fieldsOf('Account');
    expect(customer.get('Customer_Key__c')).toMatchObject({ externalId: true, unique: true, caseSensitive: false });
    expect(account.get('External_Id__c')).toMatchObject({ externalId: true, unique: true, caseSensitive: true });
    expect(account.get('Name')).toMatchObject({ unique: false, caseSensitive: false });
  });
});

describe('upsert through sObject Collections', () => {
  it('updates the stored record when the key differs only in case, for a case-insensitive External ID', async () => {
    const first = await upsertOne(INSENSITIVE, 'abc-1', 'First');
    const second = await upsertOne(INSENSITIVE, 'ABC-1', 'Second');
    expect(first).toMatchObject({ success: true, created: true });
    expect(second).toMatchObject({ success: true, created: false, id: first.id });
    // The upsert also writes the key as sent, as Salesforce does; it matches the other way round too.
    expect(sf.sandbox.records('Customer__c')).toEqual([expect.objectContaining({ Id: first.id, Customer_Key__c: 'ABC-1', Name: 'Second' })]);
    expect(await upsertOne(INSENSITIVE, 'abc-1', 'Third')).toMatchObject({ success: true, created: false, id: first.id });
    expect(sf.sandbox.records('Customer__c')).toEqual([expect.objectContaining({ Id: first.id, Customer_Key__c: 'abc-1', Name: 'Third' })]);
  });

  it('creates a second record when the key differs only in case, for a case-sensitive External ID', async () => {
    const first = await upsertOne(SENSITIVE, 'abc-1', 'First');
    const second = await upsertOne(SENSITIVE, 'ABC-1', 'Second');
    expect(first).toMatchObject({ success: true, created: true });
    expect(second).toMatchObject({ success: true, created: true });
    expect(second.id).not.toBe(first.id);
    expect([...sf.sandbox.recordsBy('Account', 'External_Id__c').keys()].sort()).toEqual(['ABC-1', 'abc-1']);
  });

  it('refuses two records of one call that match the same record ignoring case, only for the case-insensitive field', async () => {
    const both = (key: { object: string; field: string }) =>
      sf.conn.sobject(key.object).upsert([record(key, 'k-1', 'Lower'), record(key, 'K-1', 'Upper')], key.field, { allOrNone: false });
    expect(await both(INSENSITIVE)).toMatchObject([
      { success: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID' }] },
      { success: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID' }] },
    ]);
    expect(await both(SENSITIVE)).toMatchObject([{ success: true, created: true }, { success: true, created: true }]);
  });
});

describe('upsert through Bulk API 2.0', () => {
  const bulkUpsert = (key: { object: string; field: string }, value: string) =>
    sf.conn.bulk2.loadAndWaitForResults({ object: key.object, operation: 'upsert', externalIdFieldName: key.field, input: [record(key, value, 'Bulk')], pollInterval: 5, pollTimeout: 5_000 });

  it('matches a key differing only in case for the case-insensitive field, and not for the case-sensitive one', async () => {
    const insensitive = await upsertOne(INSENSITIVE, 'ABC-2', 'First');
    const sensitive = await upsertOne(SENSITIVE, 'ABC-2', 'First');
    const matched = (await bulkUpsert(INSENSITIVE, 'abc-2')).successfulResults as unknown as Array<Record<string, string>>;
    const unmatched = (await bulkUpsert(SENSITIVE, 'abc-2')).successfulResults as unknown as Array<Record<string, string>>;
    expect(matched).toEqual([expect.objectContaining({ sf__Id: insensitive.id, sf__Created: 'false' })]);
    expect(unmatched).toEqual([expect.objectContaining({ sf__Created: 'true' })]);
    expect(unmatched[0]!['sf__Id']).not.toBe(sensitive.id);
    expect(sf.sandbox.records('Customer__c')).toHaveLength(1);
    expect(sf.sandbox.records('Account')).toHaveLength(2);
  });
});

describe('uniqueness', () => {
  it('rejects a value that differs only in case as a duplicate for the case-insensitive field, and accepts it for the case-sensitive one', async () => {
    const create = (key: { object: string; field: string }) =>
      sf.conn.sobject(key.object).create([record(key, 'DUP-1', 'Upper'), record(key, 'dup-1', 'Lower')], { allOrNone: false });
    const insensitive = await create(INSENSITIVE);
    expect(insensitive[0]).toMatchObject({ success: true });
    expect(insensitive[1]).toMatchObject({ success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', fields: ['Customer_Key__c'] }] });
    expect((await create(SENSITIVE)).map((r) => r.success)).toEqual([true, true]);
  });
});
