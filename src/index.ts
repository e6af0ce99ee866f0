export type { ResolvedSync } from './core/sync.ts';
// From define.ts, not config/index.ts: every sync file imports 'ebb', and the loader (tsx, esbuild) must not load with it.
export { defineConfig, defineSync, env } from './config/define.ts';
export type { EbbConfig, SyncDefinition } from './config/define.ts';
