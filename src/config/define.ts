import type { z } from 'zod';
import type { SecretRef } from '../core/sync.ts';
import type { configSchema } from './config-schema.ts';
import type { syncSchema } from './sync-schema.ts';

/** What `syncs/ebb.config.ts` default-exports. Inferred from the schema, so the two cannot drift. */
export type EbbConfig = z.input<typeof configSchema>;

/** What a `syncs/*.sync.ts` file default-exports. */
export type SyncDefinition = z.input<typeof syncSchema>;

/** Identity at runtime; its value is the type, so editors check the config as it is written. */
export function defineConfig(config: EbbConfig): EbbConfig {
  return config;
}

/** Identity at runtime; its value is the type, so editors check the sync as it is written. */
export function defineSync(sync: SyncDefinition): SyncDefinition {
  return sync;
}

/**
 * A secret read from the environment variable `name` when the connection opens, e.g.
 * `accessToken: env('HUBSPOT_TOKEN')`. Secrets never appear in config files, plans or logs.
 */
export function env(name: string): SecretRef {
  return { $env: name };
}
