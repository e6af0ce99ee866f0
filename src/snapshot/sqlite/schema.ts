import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The snapshot's tables. Timestamps are ISO-8601 UTC text (`Date.toISOString()`), so they compare
 * correctly as strings and read back unchanged.
 */

/** One row per sync: the snapshot's identity (lineage + serial), its apply lock, its delivery clock. */
export const syncState = sqliteTable('sync_state', {
  sync: text('sync').primaryKey(),
  lineage: text('lineage').notNull(),
  serial: integer('serial').notNull().default(0),
  definitionHash: text('definition_hash'),
  lockHolder: text('lock_holder'),
  lockExpiresAt: text('lock_expires_at'),
  /** When a commit last delivered or deleted anything; the scheduler's freshness clock. */
  lastDeliveredAt: text('last_delivered_at'),
  updatedAt: text('updated_at').notNull(),
  /** The snapshot's keys are lower-cased: the destination matches them ignoring case (core/match-key.ts). */
  keysIgnoreCase: integer('keys_ignore_case', { mode: 'boolean' }).notNull().default(false),
});

/** What the destination acknowledged, per record. */
export const snapshotRows = sqliteTable(
  'snapshot_rows',
  {
    sync: text('sync')
      .notNull()
      .references(() => syncState.sync, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** Canonical JSON of the acknowledged payload: the `before` of the next plan. */
    payload: text('payload').notNull(),
    remoteId: text('remote_id'),
    syncedAt: text('synced_at').notNull(),
    runId: text('run_id').notNull(),
    /**
     * Row check of key + payload (core/row-check.ts): 64 bits in a float. 0 on rows written before the
     * column existed until the store backfills them; a row without its check is only planned slower.
     */
    rowCheck: real('row_check').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.sync, table.key] }),
    // A plan loads every row check of a sync, sorted: this index alone serves it, in order.
    index('snapshot_rows_check').on(table.sync, table.rowCheck),
  ],
);

/**
 * Run history. No foreign key to sync_state on purpose: runs outlive resets, and a plan that failed
 * before its sync had any state is still worth recording.
 */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    sync: text('sync').notNull(),
    kind: text('kind', { enum: ['plan', 'apply'] }).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    status: text('status', { enum: ['running', 'succeeded', 'partial', 'failed'] }).notNull(),
    planned: integer('planned').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    // Of `failed`, the rows the destination answered and rejected; null on runs recorded before it was kept.
    rejected: integer('rejected'),
    apiCalls: integer('api_calls').notNull().default(0),
    rateLimited: integer('rate_limited').notNull().default(0),
    message: text('message'),
  },
  (table) => [index('runs_sync_started_idx').on(table.sync, table.startedAt)],
);

/** Rows the destination rejected and that have not been delivered since. */
export const rowErrors = sqliteTable(
  'row_errors',
  {
    sync: text('sync')
      .notNull()
      .references(() => syncState.sync, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    action: text('action', { enum: ['create', 'update', 'delete'] }).notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    field: text('field'),
    attempts: integer('attempts').notNull().default(1),
    runId: text('run_id').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.sync, table.key] }),
    index('row_errors_sync_last_seen_idx').on(table.sync, table.lastSeenAt),
  ],
);

/**
 * Changes the latest plan proposed that the destination has not acknowledged yet, with when a plan
 * first saw each one pending. Delivery lag (the freshness SLA) is the age of the oldest of them; the
 * first-seen time survives later plans while the key stays pending, and the row goes when the change is
 * delivered or leaves the plan.
 */
export const pendingChanges = sqliteTable(
  'pending_changes',
  {
    sync: text('sync')
      .notNull()
      .references(() => syncState.sync, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
    /** Id of the last tracking pass that saw the key pending; keys not seen by the latest one are dropped. */
    seenIn: text('seen_in').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.sync, table.key] }),
    index('pending_changes_sync_first_seen_idx').on(table.sync, table.firstSeenAt),
  ],
);

/** Per sync, how its scheduled (or `ebb run`) cycles went: what the schedule and the SLAs check. */
export const syncHealth = sqliteTable('sync_health', {
  sync: text('sync').primaryKey(),
  /** First cycle ever started; the reference for "never succeeded" checks. */
  trackedSince: text('tracked_since').notNull(),
  lastStartedAt: text('last_started_at'),
  lastFinishedAt: text('last_finished_at'),
  lastOutcome: text('last_outcome'),
  lastMessage: text('last_message'),
  lastSuccessAt: text('last_success_at'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
});

/**
 * The current state of each alert rule per sync, so one notification goes out per change of state
 * (not per run), even across restarts and processes. `undelivered` (JSON array of channel names) is an
 * outbox: channels that have not accepted this change yet are retried with the same transition id.
 */
export const alertStates = sqliteTable(
  'alert_states',
  {
    sync: text('sync').notNull(),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: ['ok', 'warning', 'critical'] }).notNull(),
    previousSeverity: text('previous_severity', { enum: ['ok', 'warning', 'critical'] }).notNull(),
    message: text('message').notNull(),
    changedAt: text('changed_at').notNull(),
    transitionId: text('transition_id').notNull(),
    undelivered: text('undelivered').notNull().default('[]'),
  },
  (table) => [primaryKey({ columns: [table.sync, table.rule] })],
);

/** One row per `ebb schedule` process: the dead-man's switch `ebb status --check` reads. */
export const schedulerHeartbeats = sqliteTable('scheduler_heartbeats', {
  holder: text('holder').primaryKey(),
  startedAt: text('started_at').notNull(),
  lastTickAt: text('last_tick_at').notNull(),
  /** How often this scheduler meant to tick, so a checker knows when it is late. */
  tickMs: integer('tick_ms').notNull(),
});
