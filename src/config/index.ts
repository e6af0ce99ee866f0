export { defineConfig, defineSync, env, type EbbConfig, type SyncDefinition } from './define.ts';
export { loadProject, CONFIG_FILE, SYNCS_DIR, type LoadResult } from './loader.ts';
export { connectionOptions, type ProjectKinds } from './check-connections.ts';
export { resolveSecrets, looksSecret } from './secrets.ts';
export { syncsInDependencyOrder, findDependencyCycles } from './dependencies.ts';
export { definitionHashOf } from './definition-hash.ts';
export { parseDuration } from './duration.ts';
export { ConfigCodes, type ConfigCode } from './diagnostics.ts';
export { ConfigError, MissingSecretsError } from './errors.ts';
