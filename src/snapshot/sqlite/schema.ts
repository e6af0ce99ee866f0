import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
  },
  (table) => [primaryKey({ columns: [table.sync, table.key] })],
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
