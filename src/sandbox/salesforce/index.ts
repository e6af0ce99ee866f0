export { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './server.ts';
export { defaultKnobs, type SalesforceKnobs, type SalesforceRecordError } from './knobs.ts';
export { JWT_BEARER_GRANT, type OAuthClient } from './oauth.ts';
export type { SalesforceStats } from './stats.ts';
export { OBJECTS as SANDBOX_OBJECTS } from './schema.ts';
