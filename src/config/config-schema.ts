import { z } from 'zod';
import type { SyncMode } from '../core/sync.ts';
import { durationSchema } from './duration.ts';
import { alertsSchema, loggingSchema, retentionSchema, schedulerSchema } from './operations-schema.ts';

/** The modes a sync can run in; kept in step with core's `SyncMode` by the assignment below. */
export const syncModeSchema = z.enum(['upsert', 'update', 'create', 'mirror'], {
  error: 'Use one of the modes upsert, update, create or mirror.',
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const modesMatchCore: Same<SyncMode, z.output<typeof syncModeSchema>> = true;
void modesMatchCore;

export const nonEmptyString = z.string().min(1, 'Must not be empty.');

export const readBatchSizeSchema = z
  .number()
  .int('Use a whole number of rows.')
  .positive('Use a positive number of rows, e.g. 1024.');

/** Partial on purpose: a sync's `deletes` overrides only the fields it names. */
export const deleteGuardSchema = z.strictObject({
  maxDeletePercent: z
    .number()
    .min(0, 'Use a percentage between 0 and 100.')
    .max(100, 'Use a percentage between 0 and 100.')
    .optional(),
  blockWhenModelEmpty: z.boolean().optional(),
});

/**
 * A named connection: `kind` picks the source or connector; every other option belongs to that kind
 * and is checked by its own `validateOptions`. Secrets are written as `env('NAME')`.
 */
export const connectionSchema = z.looseObject({
  kind: nonEmptyString,
});

export const DEFAULT_SNAPSHOT_PATH = '.ebb/snapshot.sqlite';

export const defaultsSchema = z.strictObject({
  mode: syncModeSchema.default('upsert'),
  /**
   * Rows handed from the source to the planner at a time. Small, so that a batch's row objects die
   * young in V8: 10,000-row batches lived long enough to be promoted, growing the heap by ~80 MB and
   * slowing the read by a third; 2,048 still grew a 3M-row plan's heap by 50 MB. Raise it for a distant
   * Postgres, where every batch is a round trip.
   */
  readBatchSize: readBatchSizeSchema.default(1_024),
  /**
   * How long reading a model may take, from sending the query to its last row. A query that hangs
   * (a lock in the warehouse, a result download that never ends) would otherwise hold its sync, and
   * a scheduler's queue behind it, for ever. An hour is far more than a large model needs (10M rows read
   * from DuckDB in under a minute here), so only a hung read reaches it.
   */
  readTimeout: durationSchema.default(3_600_000),
  deletes: deleteGuardSchema
    .extend({
      maxDeletePercent: deleteGuardSchema.shape.maxDeletePercent.default(20),
      blockWhenModelEmpty: z.boolean().default(true),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  snapshot: z
    .strictObject({
      /** Relative to the project root (the folder holding `syncs/`), or absolute. */
      path: nonEmptyString.default(DEFAULT_SNAPSHOT_PATH),
    })
    .prefault({}),
  connections: z.record(nonEmptyString, connectionSchema),
  defaults: defaultsSchema.prefault({}),
  scheduler: schedulerSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  retention: retentionSchema.prefault({}),
  logging: loggingSchema.prefault({}),
});

export type ParsedConfig = z.output<typeof configSchema>;
export type ParsedDefaults = z.output<typeof defaultsSchema>;

/** What a sync falls back to when `ebb.config.ts` sets no defaults (or cannot be loaded). */
export const BUILT_IN_DEFAULTS: ParsedDefaults = defaultsSchema.parse({});
