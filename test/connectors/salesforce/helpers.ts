import type { Batch, BatchItem, ConnectorContext, WriteOperation } from '../../../src/connectors/connector.ts';
import { salesforceConnector, type SalesforceSession } from '../../../src/connectors/salesforce/index.ts';
import type { Row } from '../../../src/core/values.ts';
import type { SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';

/** Bulk polls without waiting: the sandbox advances a job per GET, not per second. */
export const noWait: ConnectorContext = { rootDir: process.cwd(), sleep: async () => undefined };

export async function openSession(options: Record<string, unknown>, context: ConnectorContext = noWait): Promise<SalesforceSession> {
  expectNoProblems(options);
  return (await salesforceConnector.open(options, context)) as SalesforceSession;
}

function expectNoProblems(options: Record<string, unknown>): void {
  const problems = salesforceConnector.validateOptions(options);
  if (problems.length > 0) throw new Error(`test options are invalid: ${problems.join('; ')}`);
}

export function tokenOptions(sandbox: SalesforceSandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { instanceUrl: sandbox.url, accessToken: sandbox.accessToken, ...extra };
}

export function item(key: string, fields: Row, remoteId: string | null = null): BatchItem {
  return { key, fields, changedFields: Object.keys(fields), remoteId };
}

export function batch(object: string, operation: WriteOperation, matchOn: string, items: BatchItem[]): Batch {
  return { object, operation, matchOn, items };
}

export function account(key: string, name: string | null = `Company ${key}`, extra: Row = {}): BatchItem {
  return item(key, { External_Id__c: key, Name: name, ...extra });
}
