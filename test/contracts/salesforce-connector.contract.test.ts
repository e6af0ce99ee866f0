import { salesforceConnector } from '../../src/connectors/salesforce/index.ts';
import { startSalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';
import { describeConnectorContract } from './connector-contract.ts';

describeConnectorContract('salesforce', async () => {
  const sandbox = await startSalesforceSandbox();
  return {
    definition: salesforceConnector,
    options: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken },
    object: 'Account',
    matchOn: 'External_Id__c',
    keyFor: (i) => `ACME-${i}`,
    validFields: (key, variant) => ({
      External_Id__c: key,
      Name: `Company ${key} v${variant}`,
      NumberOfEmployees: variant * 10,
      Website: `https://${key.toLowerCase()}.example.com/v${variant}`,
    }),
    // Account Name is required: creating the record without it fails REQUIRED_FIELD_MISSING for this row only.
    invalidFields: (key) => ({ External_Id__c: key, Name: null }),
    readBack: async () => sandbox.recordsBy('Account', 'External_Id__c'),
    createsPerKey: async () => sandbox.createsPerKey('Account'),
    close: () => sandbox.close(),
  };
});
