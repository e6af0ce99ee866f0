import type { Connection } from 'jsforce';
import { TerminalError, withCallsMade } from '../../core/errors.ts';
import type { Batch, BatchResult, CallPacing, ConnectorContext, ConnectorSession, RateLimitObservation } from '../connector.ts';
import { createAuthenticator, type OAuth2Factory } from './auth.ts';
import { OrgBudget } from './budget.ts';
import { applyBulk } from './bulk.ts';
import { SalesforceClient, type Meter } from './client.ts';
import { applyCollections, COLLECTION_MAX } from './collections.ts';
import { describeObject, type SalesforceField } from './describe.ts';
import { checkObjectName } from './objects.ts';
import { DEFAULT_API_VERSION, authMode, instanceUrlOf, type SalesforceOptions } from './options.ts';
import { hasListValues } from './payload.ts';

export interface SalesforceSession extends ConnectorSession {
  describe(object: string): Promise<SalesforceField[]>;
  /** The org's API usage as last reported by Sforce-Limit-Info. */
  apiUsage(): { used: number; limit: number } | undefined;
}


/** jsforce is loaded only when a connection is opened; its own retries are switched off process-wide. */
async function loadJsforce(): Promise<{ Connection: typeof Connection; oauth2: OAuth2Factory }> {
  const [jsforce, request] = await Promise.all([import('jsforce'), import('jsforce/lib/request.js')]);
  // setDefaults replaces the whole default object, so followRedirect is re-added. Proxies are per connection (httpProxy).
  request.setDefaults({ followRedirect: true, retry: { maxRetries: 0 } });
  return { Connection: jsforce.Connection, oauth2: (config) => new jsforce.OAuth2(config) };
}

export async function openSalesforceSession(o: SalesforceOptions, context: ConnectorContext): Promise<SalesforceSession> {
  const mode = authMode(o);
  if (!mode) throw new TerminalError('the Salesforce connection has no complete login; run `ebb validate` for details');
  const { Connection: JsforceConnection, oauth2 } = await loadJsforce();
  const proxy = o.httpProxy ? { httpProxy: o.httpProxy } : {};
  const auth = createAuthenticator(mode, context.rootDir, (config) => oauth2({ ...config, ...proxy }));
  const credentials = await auth.initial();
  const pinned = instanceUrlOf(o);
  const instanceUrl = pinned ?? credentials.instanceUrl;
  if (!instanceUrl) throw new TerminalError('Salesforce did not say which instance the token belongs to; set instanceUrl');
  const conn = new JsforceConnection({ instanceUrl, accessToken: credentials.accessToken, version: o.apiVersion ?? DEFAULT_API_VERSION, ...proxy });
  const budget = new OrgBudget(() => conn.instanceUrl, o.dailyBudgetPercent ?? 80, o.budgetRecheckMs ?? 60_000);
  const client = new SalesforceClient(conn, auth, budget, { timeout: o.requestTimeoutMs ?? 120_000, retry: { maxRetries: 0 } }, pinned);
  const polling = {
    sleep: context.sleep,
    intervalMs: o.bulkPollIntervalMs ?? 1_000,
    maxIntervalMs: o.bulkPollMaxIntervalMs ?? 10_000,
    timeoutMs: o.bulkPollTimeoutMs ?? 600_000,
  };

  // Per object, the lower-cased names of its multi-select picklists. Only a batch that carries a list
  // asks (one describe per object and session), so syncs without lists make no extra call.
  const multiPicklistsByObject = new Map<string, ReadonlySet<string>>();
  const multiPicklistsOf = async (batch: Batch, meter: Meter): Promise<ReadonlySet<string>> => {
    const known = multiPicklistsByObject.get(batch.object);
    if (known || !hasListValues(batch)) return known ?? new Set();
    const fields = await describeObject(client, meter, batch.object);
    const names = new Set(fields.filter((f) => f.type === 'multipicklist').map((f) => f.name.toLowerCase()));
    multiPicklistsByObject.set(batch.object, names);
    return names;
  };

  const rateLimit = (): RateLimitObservation | undefined => {
    const seen = budget.latest();
    return seen ? { dailyRemaining: Math.max(0, seen.limit - seen.used) } : undefined;
  };

  return {
    async applyBatch(batch: Batch, pacing?: CallPacing): Promise<BatchResult> {
      checkObjectName(batch.object, o.objects);
      const meter: Meter = { calls: 0 };
      if (batch.items.length === 0) return { results: [], calls: 0 };
      let results;
      try {
        const multiPicklists = await multiPicklistsOf(batch, meter);
        // The engine paced the describe as this batch's first call; the write is an extra one.
        if (meter.calls > 0) await pacing?.beforeExtraCall();
        results = batch.items.length > COLLECTION_MAX ? await applyBulk(client, meter, batch, polling, multiPicklists) : await applyCollections(client, meter, batch, multiPicklists);
      } catch (error) {
        throw withCallsMade(error, meter.calls);
      }
      const observed = rateLimit();
      return observed ? { results, calls: meter.calls, rateLimit: observed } : { results, calls: meter.calls };
    },
    describe: (object) => describeObject(client, { calls: 0 }, object),
    apiUsage: () => {
      const seen = budget.latest();
      return seen ? { used: seen.used, limit: seen.limit } : undefined;
    },
    close: async () => undefined,
  };
}
