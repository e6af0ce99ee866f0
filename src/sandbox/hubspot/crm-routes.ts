import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchArchive, batchRead } from './batch-read-archive.ts';
import { batchWrite } from './batch-write.ts';
import { errorBody, missingScopesBody, rateLimitBody, unauthorizedBody } from './error-bodies.ts';
import { inputsOf, type HandlerContext, type HandlerResponse } from './handler.ts';
import { BadJsonError, readJson, sendEmpty, sendHtml, sendJson } from './http-io.ts';
import { listProperties } from './properties-api.ts';
import type { SandboxState } from './state.ts';

const BATCH_PATH = /^\/crm\/v3\/objects\/([^/]+)\/batch\/(create|update|upsert|read|archive)$/;
const PROPERTIES_PATH = /^\/crm\/v3\/properties\/([^/]+)$/;

/**
 * A CRM API call, in HubSpot's order: authentication, scopes, the daily and rolling limits (429s do
 * not count), then the scripted faults (delay, failures), then the endpoint itself.
 */
export async function handleCrm(state: SandboxState, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    state.stats.status(status);
    if (body === undefined) sendEmpty(response, status, headers);
    else sendJson(response, status, body, headers);
  };

  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined || (state.tokens !== null && !state.tokens.has(token))) return send(401, unauthorizedBody());
  if (state.knobs.missingScopes.length > 0) return send(403, missingScopesBody(state.knobs.missingScopes));

  const decision = state.limits.admit(token);
  if (decision.refused !== null) {
    state.stats.rateLimited(decision.refused);
    const retryAfter = state.knobs.retryAfterSeconds;
    return send(429, rateLimitBody(decision.refused), {
      ...decision.headers,
      ...(retryAfter !== null ? { 'Retry-After': String(retryAfter) } : {}),
    });
  }
  const endpoint = `${request.method ?? 'GET'} ${path}`;
  state.stats.request(endpoint);

  let body: unknown;
  try {
    body = request.method === 'POST' ? await readJson(request) : undefined;
  } catch (error) {
    if (error instanceof BadJsonError) return send(400, errorBody('VALIDATION_ERROR', error.message), decision.headers);
    throw error;
  }
  if (state.knobs.delayMs > 0) await sleep(state.knobs.delayMs);
  if (state.knobs.failNext > 0) {
    state.knobs = { ...state.knobs, failNext: state.knobs.failNext - 1 };
    if (state.knobs.failKind === 'reset') {
      request.socket.destroy();
      return;
    }
    state.stats.status(state.knobs.failKind === 'html502' ? 502 : 500);
    if (state.knobs.failKind === 'html502') return sendHtml(response, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    return sendJson(response, 500, errorBody('INTERNAL_ERROR', 'internal error (injected by the sandbox failNext knob)'), decision.headers);
  }

  const routed = route(state, request.method ?? 'GET', path, body, endpoint);
  send(routed.status, routed.body, decision.headers);
}

function route(state: SandboxState, method: string, path: string, body: unknown, endpoint: string): HandlerResponse {
  const batch = BATCH_PATH.exec(path);
  const properties = PROPERTIES_PATH.exec(path);
  const objectType = decodeURIComponent((batch ?? properties)?.[1] ?? '');
  if ((batch && method !== 'POST') || (properties && method !== 'GET') || (!batch && !properties)) {
    return { status: 404, body: errorBody('NOT_FOUND', `No route for ${method} ${path} in the HubSpot sandbox.`) };
  }
  const schema = state.schemas.get(objectType);
  if (schema === undefined) {
    return { status: 400, body: errorBody('VALIDATION_ERROR', `Unable to infer object type from: ${objectType}`) };
  }
  if (properties) return { status: 200, body: listProperties(schema) };

  const ctx: HandlerContext = {
    schema,
    records: state.store.of(schema),
    knobs: state.knobs,
    now: new Date().toISOString(),
    onCreate: () => state.stats.created(schema.id),
  };
  state.stats.batch(endpoint, inputsOf(body)?.length ?? 0);
  const action = batch?.[2];
  if (action === 'read') return batchRead(ctx, body);
  if (action === 'archive') return batchArchive(ctx, body);
  return batchWrite(action as 'create' | 'update' | 'upsert', ctx, body);
}
