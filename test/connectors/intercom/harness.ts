import { intercomConnector } from '../../../src/connectors/intercom/index.ts';
import type { Batch, BatchItem, BatchResult, ConnectorSession, WriteOperation } from '../../../src/connectors/connector.ts';
import type { Row } from '../../../src/core/values.ts';
import { startIntercomSandbox, type IntercomSandbox, type IntercomSandboxOptions } from '../../../src/sandbox/intercom/index.ts';
import { systemClock } from '../../../src/engine/clock.ts';

/** A running sandbox and a real connector session (real intercom-client) pointed at it. */
export interface IntercomRig {
  sandbox: IntercomSandbox;
  session: ConnectorSession;
  options: Record<string, unknown>;
  apply(operation: WriteOperation, items: BatchItem[], object?: string): Promise<BatchResult>;
  close(): Promise<void>;
}

export async function startRig(sandboxOptions: IntercomSandboxOptions = {}, connectorOptions: Record<string, unknown> = {}): Promise<IntercomRig> {
  const sandbox = await startIntercomSandbox(sandboxOptions);
  const options = { accessToken: sandbox.token, baseUrl: sandbox.url, ...connectorOptions };
  const session = await intercomConnector.open(options, { rootDir: process.cwd(), sleep: systemClock.sleep });
  return {
    sandbox,
    session,
    options,
    apply(operation, items, object = 'contacts') {
      const batch: Batch = { object, operation, matchOn: object === 'contacts' ? 'external_id' : 'company_id', items };
      return session.applyBatch(batch);
    },
    async close() {
      await session.close();
      await sandbox.close();
    },
  };
}

export function item(key: string, fields: Row, remoteId: string | null = null): BatchItem {
  return { key, fields, changedFields: Object.keys(fields), remoteId };
}

/** A contact row as the example sync maps it. */
export function contactItem(key: string, extra: Row = {}, remoteId: string | null = null): BatchItem {
  return item(key, { external_id: key, email: `${key}@example.com`, name: `Customer ${key}`, ...extra }, remoteId);
}

export function contactsByExternalId(sandbox: IntercomSandbox): Map<string, Row> {
  return new Map(sandbox.records('contacts').map((r) => [String(r.external_id), r]));
}

export function statuses(result: BatchResult): string[] {
  return result.results.map((r) => (r.status === 'ok' ? 'ok' : r.error.code));
}

/** Requests per endpoint made between two stats snapshots. */
export function requestsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [endpoint, count] of Object.entries(after)) {
    const made = count - (before[endpoint] ?? 0);
    if (made > 0) delta[endpoint] = made;
  }
  return delta;
}
