import { z } from 'zod';
import { deleteGuardSchema, nonEmptyString, readBatchSizeSchema, syncModeSchema } from './config-schema.ts';
import { durationSchema } from './duration.ts';
import { scheduleSchema } from './schedule.ts';

/** Sync names end up in lock keys, query tags and metric labels, so they stay plain. */
export const SYNC_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const SYNC_NAME_HINT = 'use letters, digits, `-` and `_`, starting with a letter or digit';

const ratio = (what: string) =>
  z.number().min(0, `${what} is a ratio between 0 and 1 (0.05 = 5%).`).max(1, `${what} is a ratio between 0 and 1 (0.05 = 5%).`);

/** Destination field ← model column, either `'column'` or `{ from: 'column', sensitive: true }`. */
export const fieldSourceSchema = z.union([
  nonEmptyString,
  z.strictObject({
    from: nonEmptyString,
    /** Masked in plans, logs and every rendering; still sent and stored. */
    sensitive: z.boolean().optional(),
  }),
]);

export const slaSchema = z.strictObject({
  /** Maximum age of the oldest model change not yet in the destination. */
  freshness: durationSchema.optional(),
  maxFailureRate: ratio('maxFailureRate').optional(),
  maxBacklog: z.number().int('Use a whole number of changes.').min(0, 'Use zero or more changes.').optional(),
  backlogWarnRatio: ratio('backlogWarnRatio').default(0.5),
});

export const syncSchema = z.strictObject({
  /** Defaults to the file name without `.sync.ts`. */
  name: z.string().regex(SYNC_NAME_PATTERN, `Invalid sync name: ${SYNC_NAME_HINT}.`).optional(),
  source: z.strictObject({ connection: nonEmptyString, query: nonEmptyString }),
  /** Model column whose value identifies a row. */
  key: nonEmptyString,
  destination: z.strictObject({
    connection: nonEmptyString,
    object: nonEmptyString,
    /** Destination field holding the key; defaults to the one field mapped from `key`. */
    matchOn: nonEmptyString.optional(),
    /**
     * Whether the destination finds records by `matchOn` ignoring letter case. Defaults to what the
     * connector knows (HubSpot emails and domains, Zendesk external_id); set it for a Salesforce
     * External ID marked case-insensitive, say.
     */
    matchIgnoresCase: z.boolean().optional(),
  }),
  mapping: z
    .record(nonEmptyString, fieldSourceSchema)
    .refine((mapping) => Object.keys(mapping).length > 0, 'Map at least one destination field, e.g. `{ email: \'email\' }`.'),
  mode: syncModeSchema.optional(),
  /** Only used in mirror mode; fields left out come from the config's `defaults.deletes`. */
  deletes: deleteGuardSchema.optional(),
  schedule: scheduleSchema.optional(),
  sla: slaSchema.optional(),
  dependsOn: z.array(nonEmptyString).optional(),
  readBatchSize: readBatchSizeSchema.optional(),
  /** Overrides `defaults.readTimeout` ('2h', '90s'). */
  readTimeout: durationSchema.optional(),
});

export type ParsedSync = z.output<typeof syncSchema>;
