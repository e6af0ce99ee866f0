export { startZendeskSandbox, type ZendeskSandbox, type ZendeskSandboxOptions } from './server.ts';
export type { ZendeskKnobs } from './knobs.ts';
export type { ZendeskSandboxStats } from './stats.ts';
export type { ZendeskObject, ZendeskRecord } from './store.ts';
