import type { Batch, BatchItem, ConnectorSession, WriteOperation } from '../../../src/connectors/connector.ts';
import { hubspotConnector } from '../../../src/connectors/hubspot/index.ts';
import type { Row } from '../../../src/core/values.ts';
import { startHubspotSandbox, type HubspotSandbox, type HubspotSandboxOptions } from '../../../src/sandbox/hubspot/index.ts';
import { systemClock } from '../../../src/engine/clock.ts';

export const TOKEN = 'pat-na1-test';

export interface Rig {
  sandbox: HubspotSandbox;
  session: ConnectorSession;
  options: Record<string, unknown>;
  close(): Promise<void>;
}

/** A sandbox and a real connector session pointing at it. */
export async function startRig(sandboxOptions: HubspotSandboxOptions = {}, connectorOptions: Record<string, unknown> = {}): Promise<Rig> {
  const sandbox = await startHubspotSandbox({ tokens: [TOKEN], ...sandboxOptions });
  const options = { accessToken: TOKEN, baseUrl: sandbox.url, ...connectorOptions };
  const session = await hubspotConnector.open(options, { rootDir: process.cwd(), sleep: systemClock.sleep });
  return {
    sandbox,
    session,
    options,
    close: async () => {
      await session.close();
      await sandbox.close();
    },
  };
}

export function item(key: string, fields: Row, remoteId: string | null = null): BatchItem {
  return { key, fields, changedFields: Object.keys(fields), remoteId };
}

export function batch(object: string, operation: WriteOperation, matchOn: string, items: BatchItem[]): Batch {
  return { object, operation, matchOn, items };
}

export function contact(i: number, extra: Row = {}): BatchItem {
  const email = `user${i}@example.com`;
  return item(email, { email, firstname: `User${i}`, lifecyclestage: 'lead', ...extra });
}

/** Live sandbox records of an object, by one property's value. */
export function recordsBy(sandbox: HubspotSandbox, object: string, property: string): Map<string, { id: string; properties: Record<string, string> }> {
  return new Map(sandbox.records(object).map((record) => [record.properties[property] ?? '', record]));
}
