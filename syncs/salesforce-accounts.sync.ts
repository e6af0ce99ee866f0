import { defineSync } from 'ebb';

/**
 * Companies → Salesforce Accounts, matched on the External ID field `External_Id__c` (created once in
 * Salesforce and marked External ID), so a re-sent batch updates instead of creating duplicates.
 * Runs with more than 10,000 changed accounts go through Bulk API 2.0 jobs.
 */
export default defineSync({
  source: { connection: 'warehouse', query: 'select company_id, name, domain, industry, employees from companies' },
  key: 'company_id',
  destination: { connection: 'salesforce', object: 'Account', matchOn: 'External_Id__c' },
  mapping: {
    External_Id__c: 'company_id',
    Name: 'name',
    Website: 'domain',
    Industry: 'industry',
    NumberOfEmployees: 'employees',
  },
  mode: 'upsert',
});
