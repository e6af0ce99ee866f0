import type { ConnectorDefinition } from '../connector.ts';
import { checkMapping } from './check-mapping.ts';
import { hubspotCapabilities } from './objects.ts';
import { hubspotAccountKey, hubspotOptionProblems, parseHubspotOptions } from './options.ts';
import { HubspotSession } from './session.ts';

export { checkMapping } from './check-mapping.ts';

/**
 * HubSpot CRM (contacts, companies, deals, custom objects) through `@hubspot/api-client`, with the
 * client's own limiter and retries left off: the engine paces by `rateBudget` and the
 * `X-HubSpot-RateLimit-*` headers each batch reports, and owns every retry.
 */
export const hubspotConnector: ConnectorDefinition = {
  kind: 'hubspot',
  validateOptions: (options) => hubspotOptionProblems(options),
  capabilities: (object) => hubspotCapabilities(object),
  rateBudget(options) {
    const parsed = parseHubspotOptions(options);
    return { requests: parsed.requestsPer10s, windowMs: 10_000, maxConcurrent: parsed.maxConcurrent };
  },
  accountKey: (options) => hubspotAccountKey(parseHubspotOptions(options)),
  async open(options) {
    const parsed = parseHubspotOptions(options);
    const { Client } = await import('@hubspot/api-client');
    // No limiterOptions and no numberOfApiCallRetries: the client would otherwise sleep 10 s per 429
    // by itself and pace through a process-wide singleton (destination-apis.md §1.2).
    const client = new Client({ accessToken: parsed.accessToken, basePath: parsed.baseUrl });
    return new HubspotSession(client, parsed);
  },
  checkMapping: (check) => checkMapping(check.fields, check.mapping, check.matchOn, check.columnTypes),
  // HubSpot stores contacts' emails and companies' domains lower-cased (destination-apis.md §4).
  matchIgnoresCase: (object, matchOn) => (object === 'contacts' && matchOn === 'email') || (object === 'companies' && matchOn === 'domain'),
};
