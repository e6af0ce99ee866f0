import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMapping, type SalesforceField, type SalesforceSession } from '../../../src/connectors/salesforce/index.ts';
import { matchesIgnoringCase } from '../../../src/connectors/salesforce/match-case.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { openSession, tokenOptions } from './helpers.ts';

let sandbox: SalesforceSandbox;
let session: SalesforceSession;
let account: SalesforceField[];

beforeAll(async () => {
  sandbox = await startSalesforceSandbox();
  session = await openSession(tokenOptions(sandbox));
  account = await session.describe('Account');
});
afterAll(async () => {
  await session.close();
  await sandbox.close();
});

const example = { External_Id__c: 'company_id', Name: 'name', Website: 'domain', Industry: 'industry', NumberOfEmployees: 'employees' };

describe('describe', () => {
  it('lists fields with writability and External IDs from jsforce describe', () => {
    const byName = new Map(account.map((f) => [f.name, f]));
    expect(byName.get('External_Id__c')).toMatchObject({ type: 'string', writable: true, unique: true, externalId: true });
    expect(byName.get('Name')).toMatchObject({ writable: true, unique: false, requiredOnCreate: true });
    expect(byName.get('CreatedDate')).toMatchObject({ writable: false, createable: false, updateable: false });
    expect(byName.get('NumberOfEmployees')!.type).toBe('int');
    expect(byName.get('Type')).toMatchObject({ type: 'picklist', writable: true });
    expect(byName.get('Regions__c')!.type).toBe('multipicklist');
  });

  it('says which External IDs Salesforce matches ignoring case: only unique ones that are not case-sensitive', async () => {
    const customer = new Map((await session.describe('Customer__c')).map((f) => [f.name, f]));
    const byName = new Map(account.map((f) => [f.name, f]));
    expect(customer.get('Customer_Key__c')!.matchesIgnoringCase).toBe(true);
    expect(byName.get('External_Id__c')!.matchesIgnoringCase).toBe(false);
    expect(byName.get('Name')!.matchesIgnoringCase).toBeUndefined();
    // A non-unique External ID matches exactly whatever caseSensitive says; without caseSensitive nothing is known.
    expect(matchesIgnoringCase({ externalId: true, unique: false, caseSensitive: false })).toBe(false);
    expect(matchesIgnoringCase({ externalId: true, unique: true })).toBeUndefined();
  });

  it('describes custom objects too', async () => {
    const fields = await session.describe('Customer__c');
    expect(fields.filter((f) => f.unique).map((f) => f.name)).toEqual(['Customer_Key__c']);
  });
});

describe('checkMapping', () => {
  it('accepts the example accounts sync', () => {
    expect(checkMapping(account, example, 'External_Id__c', 'upsert')).toEqual([]);
  });

  it('names unknown fields (with a case hint), read-only fields, a non-External-ID matchOn and unmapped required fields', () => {
    const problems = checkMapping(account, { External_Id__c: 'id', website: 'domain', CreatedDate: 'created', Nmae: 'name' }, 'Website', 'upsert');
    expect(problems).toEqual([
      'mapped field "website" is not a field of this object; did you mean "Website"? API names are case-sensitive',
      'field "CreatedDate" cannot be set when creating a record (not createable), which upsert mode needs; remove it from the mapping or check the integration user\'s field permissions',
      'field "CreatedDate" cannot be updated (not updateable), which upsert mode needs; remove it from the mapping or check the integration user\'s field permissions',
      'mapped field "Nmae" is not a field of this object; check its API name (custom fields end in __c)',
      'matchOn "Website" is not an External ID field, so Salesforce cannot upsert by it; mark it External ID (Setup → Object Manager → Fields) or match on another field',
      'field "Name" is required to create a record but is not mapped',
    ]);
  });

  it('asks only what each mode needs', () => {
    // update mode addresses by stored Id: matchOn need not be an External ID, required fields need not be mapped.
    expect(checkMapping(account, { Website: 'domain' }, 'Website', 'update')).toEqual([]);
    expect(checkMapping(account, [{ to: 'Website' }], 'External_Id__c', 'create')).toEqual(['field "Name" is required to create a record but is not mapped']);
  });

  it('accepts a mapped Type (a field, not the record\'s type) and refuses Id and attributes, saying what to do', () => {
    expect(checkMapping(account, { ...example, Type: 'account_type' }, 'External_Id__c', 'upsert')).toEqual([]);
    const problems = checkMapping(account, { ...example, Id: 'sf_id', attributes: 'meta', id: 'other' }, 'External_Id__c', 'upsert');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^"Id" cannot be mapped: it is the record's Salesforce Id.*Remove it from the mapping; to reach existing records, map your key to an External ID field/);
    expect(problems[1]).toMatch(/^"attributes" cannot be mapped: .*not a field\. Remove it from the mapping/);
    expect(problems[2]).toMatch(/^"id" cannot be mapped/);
  });
});
