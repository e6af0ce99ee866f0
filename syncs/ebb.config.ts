import { defineConfig, env } from 'ebb';

/**
 * The demo project: an embedded DuckDB warehouse (built by `npm run demo`) and local sandboxes of
 * each destination (`ebb sandbox hubspot ...`). Point `baseUrl`s at the real APIs (or drop them) and
 * set the tokens in the environment to sync for real.
 */
const sandbox = (name: string, port: number) => process.env[`EBB_${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  snapshot: { path: '.ebb/snapshot.sqlite' },
  connections: {
    warehouse: { kind: 'duckdb', path: '.ebb/demo.duckdb' },
    hubspot: { kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN'), baseUrl: sandbox('hubspot', 4010), requestsPer10s: 100 },
    zendesk: { kind: 'zendesk', baseUrl: sandbox('zendesk', 4030), email: 'sync@example.com', apiToken: env('ZENDESK_API_TOKEN'), requestsPerMinute: 400 },
    salesforce: { kind: 'salesforce', instanceUrl: sandbox('salesforce', 4020), accessToken: env('SALESFORCE_ACCESS_TOKEN') },
    intercom: { kind: 'intercom', accessToken: env('INTERCOM_TOKEN'), baseUrl: sandbox('intercom', 4040) },
  },
  defaults: { mode: 'upsert', deletes: { maxDeletePercent: 20, blockWhenModelEmpty: true } },
});
