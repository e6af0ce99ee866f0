import { zendeskConnector } from '../../src/connectors/zendesk/index.ts';
import type { Row } from '../../src/core/values.ts';
import { startZendeskSandbox, type ZendeskRecord } from '../../src/sandbox/zendesk/index.ts';
import { describeConnectorContract } from './connector-contract.ts';

/** A stored user in the mapping's terms: custom fields back as `user_fields.<key>`. */
function asMapped(record: ZendeskRecord): Row {
  const { user_fields: custom, ...attributes } = record;
  const row: Row = { ...attributes };
  if (custom && typeof custom === 'object' && !Array.isArray(custom)) for (const [key, value] of Object.entries(custom)) row[`user_fields.${key}`] = value;
  return row;
}

describeConnectorContract('zendesk', async () => {
  // Jobs take two polls, so every batch really waits on its job status.
  const sandbox = await startZendeskSandbox({ pollsToComplete: 2, userFields: ['plan', 'seats'] });
  return {
    definition: zendeskConnector,
    // The contract opens the session without an injected sleep, so keep real polling waits short.
    options: { baseUrl: sandbox.url, email: sandbox.credentials.email, apiToken: sandbox.credentials.apiToken, pollIntervalMs: 10, maxPollIntervalMs: 20 },
    object: 'users',
    matchOn: 'external_id',
    keyFor: (i) => `cust-${i}`,
    validFields: (key, variant) => ({
      external_id: key,
      email: `${key}@example.com`,
      name: `Customer ${key} v${variant}`,
      'user_fields.plan': variant % 2 === 0 ? 'enterprise' : 'pro',
      'user_fields.seats': variant * 5,
    }),
    invalidFields: (key) => ({ external_id: key, email: 'not-an-email', name: 'Bad Email' }),
    readBack: async () => new Map(sandbox.records('users').map((record) => [String(record.external_id), asMapped(record)])),
    createsPerKey: async () => new Map(Object.entries(sandbox.stats().createsPerKey.users)),
    close: () => sandbox.close(),
  };
});
