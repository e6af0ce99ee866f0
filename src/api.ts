// 'ebb/api': run Ebb from code (an orchestrator, a test harness, a custom CLI).
export { runCli } from './cli/main.ts';
export { builtInKinds } from './cli/registry.ts';
export { loadProject, resolveSecrets, connectionOptions, syncsInDependencyOrder, type ProjectKinds } from './config/index.ts';
export { planSyncs, planSync, type PlanDependencies } from './engine/planner.ts';
export { applyPlan, type ApplyDependencies, type ApplyOptions, type ApplyResult } from './engine/executor.ts';
export type { EngineEvent, SyncApplyResult } from './engine/events.ts';
export { encodePlan, decodePlan } from './core/plan-codec.ts';
export { openSqliteSnapshotStore } from './snapshot/sqlite/index.ts';
export { memoryConnector } from './connectors/memory/index.ts';
export { hubspotConnector } from './connectors/hubspot/index.ts';
export { salesforceConnector } from './connectors/salesforce/index.ts';
export { zendeskConnector } from './connectors/zendesk/index.ts';
export { intercomConnector } from './connectors/intercom/index.ts';
export { webhookConnector, verifyWebhookSignature } from './connectors/webhook/index.ts';
export { duckdbSource } from './sources/duckdb/index.ts';
export { postgresSource } from './sources/postgres/index.ts';
export { snowflakeSource } from './sources/snowflake/index.ts';
