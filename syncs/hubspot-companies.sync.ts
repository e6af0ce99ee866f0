import { defineSync } from 'ebb';

/**
 * Companies → HubSpot companies, keyed by domain. HubSpot only upserts by a property with unique
 * values, and its built-in `domain` is not one, so the domain is also written to a unique custom
 * property (`ebb_company_id`, created once in HubSpot) that serves as the match key.
 */
export default defineSync({
  source: { connection: 'warehouse', query: 'select domain, name, industry, employees from companies' },
  key: 'domain',
  destination: { connection: 'hubspot', object: 'companies', matchOn: 'ebb_company_id' },
  mapping: {
    ebb_company_id: 'domain',
    domain: 'domain',
    name: 'name',
    industry: 'industry',
    numberofemployees: 'employees',
  },
  mode: 'upsert',
});
