import { memoryConnector } from '../../src/connectors/memory/index.ts';
import { startMemorySandbox } from '../../src/sandbox/memory/index.ts';
import { describeConnectorContract } from './connector-contract.ts';

describeConnectorContract('memory', async () => {
  const sandbox = await startMemorySandbox();
  return {
    definition: memoryConnector,
    options: { baseUrl: sandbox.url, objects: ['contacts'] },
    object: 'contacts',
    matchOn: 'external_id',
    keyFor: (i) => `cust-${i}`,
    validFields: (key, variant) => ({ external_id: key, name: `Customer ${key} v${variant}`, score: variant * 10 }),
    invalidFields: (key) => {
      sandbox.knobs.rejectKeys[key] = 'name is required';
      return { external_id: key, name: null };
    },
    readBack: async () => new Map(sandbox.records('contacts').map((r) => [String(r.fields['external_id']), r.fields])),
    createsPerKey: async () => new Map(Object.entries(sandbox.stats().createsPerKey)),
    close: () => sandbox.close(),
  };
});
