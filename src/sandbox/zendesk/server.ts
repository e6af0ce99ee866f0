import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningSandbox, SandboxListenOptions } from '../sandbox.ts';
import { closeServer, listen, readJsonBody, sendJson } from '../http/json-server.ts';
import { routeAdmin } from './admin.ts';
import { isAuthorized, type ZendeskCredentials } from './auth.ts';
import { JobQueue } from './jobs.ts';
import { defaultZendeskKnobs, type ZendeskKnobs } from './knobs.ts';
import { RateWindow } from './limits.ts';
import { routeApi, type ApiContext, type Reply } from './routes.ts';
import { countRequest, emptyStats, type ZendeskSandboxStats } from './stats.ts';
import { ZendeskStore, type ZendeskObject, type ZendeskRecord } from './store.ts';

export interface ZendeskSandboxOptions extends SandboxListenOptions, Partial<ZendeskKnobs> {
  /** Accepted credentials: Basic `email/token:apiToken`, or `Bearer apiToken`. */
  email?: string;
  apiToken?: string;
  /** Defined custom field keys; leave out to accept any key (Zendesk ignores undefined ones). */
  userFields?: string[];
  organizationFields?: string[];
}

export interface ZendeskSandbox extends RunningSandbox {
  /** `url + '/api/v2'`, what node-zendesk's `endpointUri` wants. */
  apiUrl: string;
  credentials: ZendeskCredentials;
  knobs: ZendeskKnobs;
  records(object: ZendeskObject): ZendeskRecord[];
  deleted(object: ZendeskObject): ZendeskRecord[];
  stats(): ZendeskSandboxStats;
  reset(): void;
}

/** Bodies shaped like Zendesk's for the statuses tests inject. */
function injectedFailureBody(status: number): Record<string, unknown> {
  if (status === 422) {
    return { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'Injected validation failure (sandbox failNext)', error: 'InvalidValue' }] } };
  }
  if (status === 403) return { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' };
  return { error: 'InternalServerError', description: `Injected failure ${status} (sandbox failNext).` };
}

/** Endpoint label for stats: ids and job ids collapse to `{id}`. */
function endpointLabel(method: string, parts: string[]): string {
  return `${method} ${parts.map((part) => (/^(\d+|[0-9a-f]{32})$/.test(part) ? '{id}' : part)).join('/')}`;
}

/**
 * A Zendesk Support account on 127.0.0.1 that node-zendesk 6 works against unchanged: bulk
 * create_or_update/destroy jobs with per-row results, job status polling, show_many, custom fields,
 * the per-minute limit with `X-Rate-Limit*` headers and 429 + `Retry-After`, the queued-jobs cap, and
 * API-token auth.
 */
export async function startZendeskSandbox(options: ZendeskSandboxOptions = {}): Promise<ZendeskSandbox> {
  const { port = 0, host = '127.0.0.1', email = 'agent@example.com', apiToken = 'zd-sandbox-token', userFields, organizationFields, ...knobOverrides } = options;
  const knobs: ZendeskKnobs = { ...defaultZendeskKnobs(), ...knobOverrides };
  const credentials: ZendeskCredentials = { email, apiToken };
  const stats = emptyStats();
  const store = new ZendeskStore(stats, {
    users: userFields ? new Set(userFields) : null,
    organizations: organizationFields ? new Set(organizationFields) : null,
  });
  const jobs = new JobQueue(knobs, stats);
  const window = new RateWindow(knobs);
  let apiBase = '';

  const reset = (): void => {
    store.clear();
    jobs.clear();
    window.reset();
    Object.assign(stats, emptyStats());
  };

  async function handleApi(method: string, parts: string[], query: URLSearchParams, req: IncomingMessage): Promise<Reply> {
    countRequest(stats, endpointLabel(method, parts));
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch {
      return { status: 400, body: { error: 'InvalidJSON', description: 'The request body is not valid JSON.' } };
    }
    if (knobs.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, knobs.delayMs));
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      stats.serverErrors += 1;
      return { status: knobs.failStatus, body: injectedFailureBody(knobs.failStatus) };
    }
    if (!isAuthorized(req.headers.authorization, credentials)) {
      stats.unauthorized += 1;
      return { status: 401, body: { error: "Couldn't authenticate you" } };
    }
    const decision = window.take();
    if (knobs.rateLimitNext > 0 || !decision.allowed) {
      if (decision.allowed) knobs.rateLimitNext -= 1;
      stats.rateLimited += 1;
      const retryAfterSec = decision.allowed ? knobs.retryAfterSec : decision.retryAfterSec;
      const retryHeader: Record<string, string> = knobs.omitRetryAfter ? {} : { 'retry-after': String(retryAfterSec) };
      return { status: 429, headers: { ...decision.headers, ...retryHeader }, body: { error: 'TooManyRequests', description: `Rate limit of ${knobs.requestsPerMinute} requests per window exceeded.` } };
    }
    const context: ApiContext = { store, jobs, knobs, stats, apiBase };
    const reply = routeApi(method, parts, query, body, context) ?? { status: 404, body: { error: 'InvalidEndpoint', description: `Not found: ${method} /api/v2/${parts.join('/')}` } };
    return { ...reply, headers: { ...decision.headers, ...reply.headers } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '__sandbox') {
      const body = method === 'POST' ? await readJsonBody(req).catch(() => null) : null;
      const reply = routeAdmin(method, parts.slice(1), body, { store, knobs, stats: () => stats, reset });
      return sendJson(res, reply.status, reply.body);
    }
    if (parts[0] !== 'api' || parts[1] !== 'v2') return sendJson(res, 404, { error: 'InvalidEndpoint', description: 'The Zendesk API lives under /api/v2.' });
    const apiParts = parts.slice(2);
    const last = apiParts.length - 1;
    if (last >= 0) apiParts[last] = apiParts[last]!.replace(/\.json$/, '');
    const reply = await handleApi(method, apiParts, url.searchParams, req);
    if (res.destroyed) return;
    if (reply.status === 502 || reply.status === 504) {
      // Gateways answer with HTML; node-zendesk then resolves with `{}` as if the call succeeded.
      res.writeHead(reply.status, { 'content-type': 'text/html', ...reply.headers });
      res.end(`<html><body><h1>${reply.status} Bad Gateway</h1></body></html>`);
      return;
    }
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  const { server, url } = await listen(handle, port, host);
  apiBase = `${url}/api/v2`;
  return {
    name: 'zendesk',
    url,
    apiUrl: apiBase,
    credentials,
    knobs,
    records: (object) => store.list(object),
    deleted: (object) => store.deleted[object],
    stats: () => stats,
    reset,
    close: () => closeServer(server),
  };
}
