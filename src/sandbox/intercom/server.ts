import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminRoutes } from './admin-routes.ts';
import { companyRoutes } from './companies-routes.ts';
import { contactRoutes } from './contacts-routes.ts';
import { dataAttributeRoutes } from './data-attributes-routes.ts';
import { SandboxHttpError, errorList, readJsonBody, sendJson } from './http.ts';
import { matchRoute, type Route } from './route.ts';
import type { SandboxState } from './state.ts';

const API_ROUTES: Route[] = [...contactRoutes, ...companyRoutes, ...dataAttributeRoutes];

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

async function serve(route: Route, params: string[], url: URL, req: IncomingMessage, state: SandboxState): Promise<{ status: number; body: unknown }> {
  try {
    const reply = await route.handle({ state, params, query: url.searchParams, body: () => readJsonBody(req) });
    return { status: reply.status ?? 200, body: reply.body };
  } catch (error) {
    if (error instanceof SandboxHttpError) return { status: error.status, body: errorList(error.errors) };
    return { status: 500, body: errorList([{ code: 'server_error', message: `Sandbox error: ${(error as Error).message}` }]) };
  }
}

/**
 * The API pipeline in Intercom's order: token check (401, not counted against the limit), the rate
 * window (429 with `X-RateLimit-*`), then the knobs (delay, injected failures), then the endpoint.
 */
async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, state: SandboxState): Promise<void> {
  const method = req.method ?? 'GET';
  const matched = matchRoute(API_ROUTES, method, url.pathname);
  const stats = state.counters;
  stats.requests += 1;
  count(stats.byEndpoint, matched?.route.label ?? `${method} ${url.pathname}`);
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    count(stats.byStatus, String(status));
    if (!res.destroyed) sendJson(res, status, body, headers);
  };

  if (req.headers.authorization !== `Bearer ${state.knobs.token}`) {
    stats.unauthorized += 1;
    return reply(401, errorList([{ code: 'unauthorized', message: 'Access Token Invalid' }]));
  }
  if (!state.window.take()) {
    stats.rateLimited += 1;
    const headers = state.window.headers();
    if (state.knobs.retryAfterOn429) headers['retry-after'] = String(Math.max(1, Math.ceil(state.window.msUntilReset() / 1000)));
    return reply(429, errorList([{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }]), headers);
  }
  if (state.knobs.delayMs > 0) await sleep(state.knobs.delayMs);
  const rateHeaders = state.window.headers();
  if (state.knobs.failNext > 0 && state.knobs.failAfter > 0) {
    state.knobs.failAfter -= 1;
  } else if (state.knobs.failNext > 0) {
    state.knobs.failNext -= 1;
    stats.injectedFailures += 1;
    return reply(state.knobs.failStatus, errorList([{ code: 'server_error', message: 'Injected failure (failNext knob)' }]), rateHeaders);
  }
  if (matched === null) return reply(404, errorList([{ code: 'not_found', message: `No route for ${method} ${url.pathname}` }]), rateHeaders);
  const { status, body } = await serve(matched.route, matched.params, url, req, state);
  if (status === 409) stats.conflicts += 1;
  reply(status, body, rateHeaders);
}

export function createRequestHandler(state: SandboxState) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    if (url.pathname.startsWith('/__sandbox/')) {
      const matched = matchRoute(adminRoutes, req.method ?? 'GET', url.pathname);
      if (matched === null) return sendJson(res, 404, errorList([{ code: 'not_found', message: `No sandbox route ${url.pathname}` }]));
      const { status, body } = await serve(matched.route, matched.params, url, req, state);
      return sendJson(res, status, body);
    }
    state.inFlight += 1;
    state.counters.peakInFlight = Math.max(state.counters.peakInFlight, state.inFlight);
    try {
      await handleApi(req, res, url, state);
    } finally {
      state.inFlight -= 1;
    }
  };
}
