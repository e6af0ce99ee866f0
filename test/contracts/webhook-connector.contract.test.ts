import { webhookConnector } from '../../src/connectors/webhook/index.ts';
import { startWebhookReceiver } from '../../src/sandbox/webhook/index.ts';
import { describeConnectorContract } from './connector-contract.ts';

describeConnectorContract('webhook', async () => {
  // The receiver validates like a team's own service would: an account needs an email.
  const receiver = await startWebhookReceiver({ secret: 'contract-secret', requiredFields: ['email'] });
  return {
    definition: webhookConnector,
    // Listing the objects makes unknown ones fail at validate time, which the contract checks.
    options: { url: `${receiver.url}/ebb`, secret: 'contract-secret', batchSize: 50, objects: ['accounts'] },
    object: 'accounts',
    matchOn: 'account_id',
    keyFor: (i) => `acct-${i}`,
    validFields: (key, variant) => ({ account_id: key, email: `${key}@example.com`, plan: variant % 2 === 0 ? 'pro' : 'free', seats: variant * 3 }),
    invalidFields: (key) => ({ account_id: key, email: null, plan: 'pro' }),
    readBack: async () => new Map([...receiver.records('accounts')].map(([key, record]) => [key, record.fields])),
    createsPerKey: async () => new Map(Object.entries(receiver.stats().createsPerKey).map(([id, count]) => [id.slice('accounts/'.length), count])),
    close: () => receiver.close(),
  };
});
