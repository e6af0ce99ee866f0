import { intercomConnector } from '../../src/connectors/intercom/index.ts';
import type { Row } from '../../src/core/values.ts';
import { startIntercomSandbox, type IntercomSandbox } from '../../src/sandbox/intercom/index.ts';
import { describeConnectorContract, type ConnectorHarness } from './connector-contract.ts';

function byField(rows: Row[], field: string): Map<string, Row> {
  return new Map(rows.map((r) => [String(r[field]), r]));
}

function harness(sandbox: IntercomSandbox, object: 'contacts' | 'companies'): Omit<ConnectorHarness, 'keyFor' | 'validFields' | 'invalidFields'> {
  const matchOn = object === 'contacts' ? 'external_id' : 'company_id';
  return {
    definition: intercomConnector,
    options: { accessToken: sandbox.token, baseUrl: sandbox.url },
    object,
    matchOn,
    readBack: async () => byField(sandbox.records(object), matchOn),
    createsPerKey: async () => new Map(Object.entries(sandbox.stats().createsPerKey[object])),
    close: () => sandbox.close(),
  };
}

describeConnectorContract('intercom contacts', async () => {
  const sandbox = await startIntercomSandbox();
  return {
    ...harness(sandbox, 'contacts'),
    keyFor: (i) => `cust-${i}`,
    validFields: (key, variant) => ({
      external_id: key,
      email: `${key}@example.com`,
      name: `Customer ${key} v${variant}`,
      'custom_attributes.plan': variant === 1 ? 'starter' : 'pro',
      'custom_attributes.lifetime_value': 100.5 * variant,
    }),
    // Intercom answers 400 parameter_invalid for a malformed email.
    invalidFields: (key) => ({ external_id: key, email: 'not-an-email', name: 'Broken' }),
  };
});

describeConnectorContract('intercom companies', async () => {
  const sandbox = await startIntercomSandbox();
  return {
    ...harness(sandbox, 'companies'),
    keyFor: (i) => `co-${i}`,
    validFields: (key, variant) => ({ company_id: key, name: `Company ${key} v${variant}`, size: 10 * variant, 'custom_attributes.tier': `tier-${variant}` }),
    // A custom attribute the workspace never declared: Intercom refuses the whole record.
    invalidFields: (key) => ({ company_id: key, name: 'Broken', 'custom_attributes.not_declared': 'x' }),
  };
});
