import type { ProjectKinds } from '../config/index.ts';
import { hubspotConnector } from '../connectors/hubspot/index.ts';
import { intercomConnector } from '../connectors/intercom/index.ts';
import { memoryConnector } from '../connectors/memory/index.ts';
import { salesforceConnector } from '../connectors/salesforce/index.ts';
import { webhookConnector } from '../connectors/webhook/index.ts';
import { zendeskConnector } from '../connectors/zendesk/index.ts';
import { duckdbSource } from '../sources/duckdb/index.ts';
import { postgresSource } from '../sources/postgres/index.ts';
import { snowflakeSource } from '../sources/snowflake/index.ts';

/**
 * Every source and connector kind Ebb ships, registered by importing its definition (cheap: each
 * loads its client library only when a connection is opened).
 */
export const builtInKinds: ProjectKinds = {
  sources: {
    [duckdbSource.kind]: duckdbSource,
    [postgresSource.kind]: postgresSource,
    [snowflakeSource.kind]: snowflakeSource,
  },
  connectors: {
    [memoryConnector.kind]: memoryConnector,
    [hubspotConnector.kind]: hubspotConnector,
    [zendeskConnector.kind]: zendeskConnector,
    [webhookConnector.kind]: webhookConnector,
    [intercomConnector.kind]: intercomConnector,
    [salesforceConnector.kind]: salesforceConnector,
  },
};
