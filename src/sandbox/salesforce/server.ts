import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Row } from '../../core/values.ts';
import { closeServer, listen } from '../http/json-server.ts';
import type { RunningSandbox, SandboxListenOptions } from '../sandbox.ts';
import { handleAdmin, type SandboxControls } from './admin-routes.ts';
import { routeApi } from './api-routes.ts';
import { BulkIngest } from './bulk.ts';
import { Collections } from './collections.ts';
import { Dml } from './dml.ts';
import { defaultKnobs, type SalesforceKnobs } from './knobs.ts';
import { OAuthServer, type OAuthClient } from './oauth.ts';
import { readText, send, sfError, type Reply } from './reply.ts';
import { findField, findObject, primaryExternalId, type ObjectSpec } from './schema.ts';
import { Sessions } from './sessions.ts';
import { emptyStats, type SalesforceStats } from './stats.ts';
import { SalesforceStore } from './store.ts';

export interface SalesforceSandboxOptions extends SandboxListenOptions, Partial<SalesforceKnobs> {
  /** A token valid from the start, for `accessToken` + `instanceUrl` connections. */
  accessToken?: string;
  /** Connected apps; a default one (`sandbox-client` / `sandbox-secret` / refresh token `sandbox-refresh-token`) is always there. */
  oauthClients?: OAuthClient[];
  /** API calls already used today when the sandbox starts. */
  apiUsage?: number;
}

export interface SalesforceSandbox extends RunningSandbox {
  knobs: SalesforceKnobs;
  /** The pre-issued access token (valid again after `reset()`). */
  accessToken: string;
  /** Stored records of an sObject, each with its `Id`. */
  records(object: string): Row[];
  /** Stored records keyed by one field's value (e.g. the External ID). */
  recordsBy(object: string, field: string): Map<string, Row>;
  /** How many records were created per key of the object's primary External ID: more than 1 is a duplicate. */
  createsPerKey(object: string): Map<string, number>;
  stats(): SalesforceStats;
  apiUsage(): { used: number; limit: number };
  setApiUsage(used: number): void;
  /** Every token issued so far gets 401 INVALID_SESSION_ID from now on. */
  expireTokens(): void;
  revokeRefreshTokens(): void;
  registerClient(client: OAuthClient): void;
  reset(): void;
}

const API_PATH = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/;

/**
 * A local Salesforce org: REST sObject Collections, describe, Bulk API 2.0 ingest, the OAuth token
 * endpoint (refresh token and JWT bearer), the daily API allocation with Sforce-Limit-Info on every
 * response, expiring sessions, and failure knobs. jsforce works against it unchanged.
 */
export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const { port = 0, host = '127.0.0.1', accessToken = 'sandbox-access-token', oauthClients = [], apiUsage = 0, ...knobOverrides } = options;
  const knobs: SalesforceKnobs = { ...defaultKnobs(), ...knobOverrides };
  const store = new SalesforceStore();
  const sessions = new Sessions(knobs);
  let baseUrl = '';
  const oauth = new OAuthServer(sessions, () => baseUrl);
  let stats = emptyStats(oauth.grants);
  let used = apiUsage;
  const dml = new Dml(store, knobs);
  const collections = new Collections(store, dml, (n) => stats.collectionSizes.push(n));
  const bulk = new BulkIngest(dml, knobs, (n) => stats.bulkJobSizes.push(n));
  sessions.register(accessToken);
  oauth.register({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret', refreshTokens: ['sandbox-refresh-token'] });
  for (const client of oauthClients) oauth.register(client);

  const limitHeader = (): Record<string, string> => ({ 'Sforce-Limit-Info': `api-usage=${used}/${knobs.dailyAllocation}` });
  const limits = (): Record<string, unknown> => ({
    DailyApiRequests: { Max: knobs.dailyAllocation, Remaining: Math.max(0, knobs.dailyAllocation - used) },
    DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 - stats.bulkJobSizes.reduce((n, rows) => n + Math.ceil(rows / 10_000), 0) },
    DailyBulkV2QueryJobs: { Max: 10_000, Remaining: 10_000 },
  });

  /** Auth, allocation and injected failures come before the endpoint, as on a real org. */
  function gate(authorization: string | undefined): Reply | null {
    if (!sessions.admit(authorization)) {
      stats.sessionsRejected += 1;
      return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    if (used >= knobs.dailyAllocation) {
      stats.limitExceeded += 1;
      return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    used += 1;
    stats.apiCalls += 1;
    if (knobs.failNextCalls > 0) {
      knobs.failNextCalls -= 1;
      stats.injectedFailures += 1;
      return sfError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 123456789-00000 (sandbox)');
    }
    if (knobs.concurrencyLimitNextCalls > 0) {
      knobs.concurrencyLimitNextCalls -= 1;
      stats.limitExceeded += 1;
      return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
    }
    if (knobs.lockNextCalls > 0) {
      knobs.lockNextCalls -= 1;
      stats.injectedFailures += 1;
      return sfError(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record');
    }
    return null;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, version: string, path: string): Promise<void> {
    const body = await readText(req);
    const routed = routeApi({ method: req.method ?? 'GET', path, version, query: url.searchParams, body }, { collections, bulk, limits });
    stats.requests[routed.endpoint] = (stats.requests[routed.endpoint] ?? 0) + 1;
    if (knobs.expireSessionsAt === routed.endpoint) {
      knobs.expireSessionsAt = null;
      sessions.expireAll();
    }
    let reply = gate(req.headers.authorization);
    if (!reply) {
      try {
        reply = routed.reply();
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        reply = sfError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${error.message}`);
      }
      if (knobs.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, knobs.delayMs));
    }
    send(res, reply, reply.status === 401 ? {} : limitHeader());
  }

  const objectOrThrow = (name: string): ObjectSpec => {
    const object = findObject(name);
    if (!object) throw new Error(`The Salesforce sandbox has no sObject ${name}; it knows Account, Contact, Lead and Customer__c`);
    return object;
  };
  const records = (object: string): Row[] => store.list(objectOrThrow(object)).map((r) => ({ Id: r.Id, ...r.fields }));

  const controls: SandboxControls = {
    knobs,
    records,
    stats: () => ({ ...stats, apiUsage: { used, limit: knobs.dailyAllocation } }),
    setApiUsage: (n) => void (used = n),
    expireTokens: () => sessions.expireAll(),
    revokeRefreshTokens: () => oauth.revokeRefreshTokens(),
    registerClient: (client) => oauth.register(client),
    reset: () => {
      store.clear();
      sessions.register(accessToken);
      used = 0;
      stats = emptyStats(oauth.grants);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const api = API_PATH.exec(url.pathname);
    if (api) return handleApi(req, res, url, api[1]!, api[2] ?? '/');
    if (url.pathname === '/services/oauth2/token' && req.method === 'POST') {
      return send(res, oauth.token(new URLSearchParams(await readText(req))));
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '__sandbox') return send(res, await handleAdmin(req, parts, controls));
    send(res, sfError(404, 'NOT_FOUND', `The requested resource does not exist: ${url.pathname}`));
  }

  const { server, url } = await listen(handle, port, host);
  baseUrl = url;
  return {
    name: 'salesforce',
    url,
    knobs,
    accessToken,
    records,
    recordsBy: (object, field) => {
      const spec = objectOrThrow(object);
      const name = findField(spec, field)?.name ?? field;
      return new Map(records(object).filter((r) => r[name] != null).map((r) => [String(r[name]), r]));
    },
    createsPerKey: (object) => {
      const spec = objectOrThrow(object);
      if (!primaryExternalId(spec)) return new Map();
      return new Map(store.creations.get(spec.name) ?? []);
    },
    stats: () => stats,
    apiUsage: () => ({ used, limit: knobs.dailyAllocation }),
    setApiUsage: controls.setApiUsage,
    expireTokens: controls.expireTokens,
    revokeRefreshTokens: controls.revokeRefreshTokens,
    registerClient: controls.registerClient,
    reset: controls.reset,
    close: () => closeServer(server),
  };
}
