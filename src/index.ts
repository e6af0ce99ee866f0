export type { ResolvedSync } from './core/sync.ts';
