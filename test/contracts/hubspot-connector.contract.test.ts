import { hubspotConnector } from '../../src/connectors/hubspot/index.ts';
import { startHubspotSandbox } from '../../src/sandbox/hubspot/index.ts';
import { describeConnectorContract } from './connector-contract.ts';

describeConnectorContract('hubspot', async () => {
  // Results come back shuffled, as HubSpot does not promise input order.
  const sandbox = await startHubspotSandbox({ tokens: ['pat-contract'], knobs: { resultOrder: 'shuffled' } });
  return {
    definition: hubspotConnector,
    options: { accessToken: 'pat-contract', baseUrl: sandbox.url },
    object: 'contacts',
    matchOn: 'email',
    keyFor: (i) => `person${i}@example.com`,
    validFields: (key, variant) => ({
      email: key,
      firstname: `First${variant}`,
      lastname: `Last ${key.split('@')[0]}`,
      lifecyclestage: variant % 2 === 0 ? 'customer' : 'lead',
      num_employees_custom: variant * 10,
    }),
    invalidFields: (key) => ({ email: key, firstname: 'Bad', lifecyclestage: 'not_a_stage' }),
    readBack: async () => new Map(sandbox.records('contacts').map((record) => [record.properties.email ?? '', record.properties])),
    createsPerKey: async () => sandbox.createsPerKey('contacts', 'email'),
    close: () => sandbox.close(),
  };
});
