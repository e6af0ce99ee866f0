// The library API. Every sync file imports 'ebb', so this module is loaded on each config load: it
// re-exports only light modules (define functions, error classes) and types. The engine, store and
// connectors are in 'ebb/api'.
// From define.ts, not config/index.ts: the loader (tsx, esbuild) must not load with every sync file.
export { defineConfig, defineSync, env } from './config/define.ts';
export type { EbbConfig, SyncDefinition } from './config/define.ts';
export {
  AuthError,
  EbbError,
  QuotaExhaustedError,
  RateLimitedError,
  SourceError,
  TerminalError,
  TransientError,
  type RowError,
} from './core/errors.ts';
export type { Change, ChangeAction } from './core/change.ts';
export type { Diagnostic } from './core/diagnostics.ts';
export type { Plan, SyncPlan } from './core/plan.ts';
export type { ResolvedConfig, ResolvedSync, SyncMode } from './core/sync.ts';
export type { JsonValue, Row, Value } from './core/values.ts';
export type {
  Batch,
  BatchItem,
  BatchResult,
  ConnectorDefinition,
  ConnectorSession,
  ItemResult,
  ObjectCapabilities,
  RateBudget,
  WriteOperation,
} from './connectors/connector.ts';
export type { SourceDefinition, SourceSession, ReadOptions } from './sources/source.ts';
export type { SnapshotStore } from './snapshot/store.ts';
// Types only (erased at runtime): what an alert webhook receiver gets.
export type { AlertWebhookBody } from './alerts/channels/webhook.ts';
