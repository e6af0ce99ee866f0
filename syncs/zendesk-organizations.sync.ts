import { defineSync } from 'ebb';

/**
 * Companies → Zendesk organizations, matched by `external_id`. Zendesk wants `domain_names` as a
 * list, so the model builds a JSON array (DuckDB list syntax; on Postgres use
 * `json_build_array(lower(domain))`, on Snowflake `ARRAY_CONSTRUCT(LOWER(domain))`).
 * Organization names are unique in Zendesk: two companies with the same name are rejected row by row.
 */
export default defineSync({
  source: {
    connection: 'warehouse',
    query: `
      SELECT
        company_id,
        name,
        CASE WHEN domain IS NULL OR domain = '' THEN []::VARCHAR[] ELSE [lower(domain)] END AS domain_names
      FROM companies
    `,
  },
  key: 'company_id',
  destination: { connection: 'zendesk', object: 'organizations', matchOn: 'external_id' },
  mapping: {
    external_id: 'company_id',
    name: 'name',
    domain_names: 'domain_names',
  },
  mode: 'upsert',
});
