import { zendeskConnector } from '../../../src/connectors/zendesk/index.ts';
import type { Batch, BatchItem, ConnectorSession } from '../../../src/connectors/connector.ts';
import type { Row } from '../../../src/core/values.ts';
import { startZendeskSandbox, type ZendeskSandbox, type ZendeskSandboxOptions } from '../../../src/sandbox/zendesk/index.ts';

export interface ZendeskFixture {
  sandbox: ZendeskSandbox;
  options: Record<string, unknown>;
  session: ConnectorSession;
  /** Every wait the connector asked for while polling jobs (the injected sleep returns at once). */
  sleeps: number[];
  close(): Promise<void>;
}

/** A sandbox plus a real node-zendesk session pointed at it, on a clock that does not really wait. */
export async function zendeskFixture(sandboxOptions: ZendeskSandboxOptions = {}, extraOptions: Record<string, unknown> = {}, sleep?: (ms: number) => Promise<void>): Promise<ZendeskFixture> {
  const sandbox = await startZendeskSandbox(sandboxOptions);
  const options = { baseUrl: sandbox.url, email: sandbox.credentials.email, apiToken: sandbox.credentials.apiToken, ...extraOptions };
  const sleeps: number[] = [];
  const session = await zendeskConnector.open(options, {
    rootDir: process.cwd(),
    sleep: async (ms) => {
      sleeps.push(ms);
      await (sleep ? sleep(ms) : Promise.resolve());
    },
  });
  return { sandbox, options, session, sleeps, close: async () => { await session.close(); await sandbox.close(); } };
}

export function item(key: string, fields: Row, remoteId: string | null = null): BatchItem {
  return { key, fields, changedFields: Object.keys(fields), remoteId };
}

export function user(key: string, extra: Row = {}): BatchItem {
  return item(key, { external_id: key, email: `${key}@example.com`, name: `Customer ${key}`, ...extra });
}

export function upsert(object: string, items: BatchItem[]): Batch {
  return { object, operation: 'upsert', matchOn: 'external_id', items };
}

export function remove(object: string, items: BatchItem[]): Batch {
  return { object, operation: 'delete', matchOn: 'external_id', items };
}
