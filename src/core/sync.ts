/**
 * A sync after loading and validation: plain data the engine works from. The config layer produces it
 * from the user's `defineSync` file; nothing here knows about zod or files.
 */
export type SyncMode = 'upsert' | 'update' | 'create' | 'mirror';

export interface FieldMapping {
  /** Destination field (HubSpot property, Salesforce field, ...). */
  to: string;
  /** Model column the value comes from. */
  from: string;
  /**
   * Masked in every rendering (terminal, JSON, HTML, logs) and in destination messages that quote it
   * (core/mask-sent-values.ts). The value is still sent and stored. Never set on a field mapped from the key.
   */
  sensitive: boolean;
}

export interface DeleteGuard {
  /** Block a plan that would delete more than this share of the snapshot (0..100). */
  maxDeletePercent: number;
  /** Block deletes when the model returned no rows at all (the "warehouse came back empty" disaster). */
  blockWhenModelEmpty: boolean;
}

export interface Schedule {
  cron?: string;
  everyMs?: number;
  timezone?: string;
}

export interface Sla {
  /** Maximum age of the oldest model change not yet in the destination. */
  freshnessMs?: number;
  /** Rejected rows over attempted rows in one run (0..1). */
  maxFailureRate?: number;
  /** Maximum number of pending changes. */
  maxBacklog?: number;
  /** Share of maxBacklog at which to warn (0..1). */
  backlogWarnRatio: number;
}

export interface ResolvedSync {
  name: string;
  /** The file that defined it, relative to the project root. */
  file: string;
  source: { connection: string; query: string };
  /** Model column whose value identifies a row. */
  key: string;
  destination: {
    connection: string;
    /** Destination object: `contacts`, `Account`, `users`, a custom object type, ... */
    object: string;
    /**
     * Destination field that holds the row key (HubSpot idProperty, Salesforce External ID field,
     * Zendesk external_id). Upserts address records by it, so a re-sent batch never duplicates.
     */
    matchOn: string;
    /**
     * The destination finds records by `matchOn` ignoring letter case: row keys are then compared
     * lower-cased (core/match-key.ts), so "Ada@x.com" and "ada@x.com" are one record here as there.
     */
    matchIgnoresCase: boolean;
  };
  mapping: FieldMapping[];
  mode: SyncMode;
  deleteGuard: DeleteGuard;
  schedule?: Schedule;
  sla?: Sla;
  /** Syncs that must run before this one (e.g. companies before contacts). */
  dependsOn: string[];
  /** Rows per read from the source. */
  readBatchSize: number;
  /** How long reading the model may take before the query is cancelled and the plan fails. */
  readTimeoutMs: number;
  /** Hash of everything that changes what a plan means (source, key, destination, mapping, mode). */
  definitionHash: string;
}

/**
 * A reference to a secret held in an environment variable. Config files hold these, never literal
 * secrets; they are resolved only when a connection is opened, so they never reach plans or logs.
 */
export interface SecretRef {
  $env: string;
}

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && typeof (value as SecretRef).$env === 'string';
}

/** A named connection from `ebb.config.ts`: its kind plus kind-specific options. */
export interface ConnectionConfig {
  kind: string;
  [option: string]: unknown;
}

/** How `ebb schedule` runs (config `scheduler`). */
export interface SchedulerSettings {
  /** Syncs run at the same time. */
  concurrency: number;
  /** Port of `/metrics` and `/healthz`; 0 picks a free one. */
  metricsPort: number;
  /** Address the metrics server binds; loopback unless opened up on purpose. */
  metricsHost: string;
  /** Dead-man's switch: pinged (GET) after scheduler ticks, at most every `heartbeatEveryMs`. */
  heartbeatUrl?: string | SecretRef;
  heartbeatEveryMs: number;
  /** How often the loop wakes to start due syncs. */
  tickMs: number;
  /** How often alert rules are evaluated between runs (so a sync that stopped running still alerts). */
  evaluateEveryMs: number;
}

/** Where alerts go (config `alerts.channels`). Secrets are `env()` references until a channel opens. */
export type AlertChannelConfig =
  | { kind: 'slack'; name: string; url: SecretRef }
  | { kind: 'webhook'; name: string; url: string | SecretRef; secret: SecretRef; headers: Record<string, string>; timeoutMs: number }
  | { kind: 'log'; name: string };

export interface AlertSettings {
  channels: AlertChannelConfig[];
}

export interface RetentionSettings {
  /** Run history and row errors older than this are pruned; the snapshot never is. */
  days: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LoggingSettings {
  level: LogLevel;
  /** Absolute path of the structured (JSON lines) log file; stderr when absent. */
  file?: string;
}

export interface ResolvedConfig {
  /** Absolute path of the project root (the folder holding `syncs/`). */
  rootDir: string;
  /** Absolute path of the SQLite snapshot file. */
  snapshotPath: string;
  connections: Record<string, ConnectionConfig>;
  syncs: ResolvedSync[];
  /** The loader always fills these (with defaults); optional so hand-built configs stay valid. */
  scheduler?: SchedulerSettings;
  alerts?: AlertSettings;
  retention?: RetentionSettings;
  logging?: LoggingSettings;
}
