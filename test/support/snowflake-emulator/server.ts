import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleChunkRequest } from './chunks.ts';
import { fail, ok, sendEnvelope, sendJson, bearerToken, type Envelope } from './http.ts';
import { handleLogin, handleTokenRequest } from './login.ts';
import { handleAbortRequest, handleMonitoringRequest, handleQueryRequest, handleResultRequest } from './query.ts';
import { takeFailure, type EmulatorState, type FailureEndpoint, type ForcedFailure } from './state.ts';

type Route = (state: EmulatorState, request: IncomingMessage, match: RegExpExecArray, url: URL) => Promise<Envelope>;

const ROUTES: { method: string; path: RegExp; endpoint?: FailureEndpoint; handle: Route }[] = [
  { method: 'POST', path: /^\/session\/v1\/login-request$/, endpoint: 'login', handle: (s, r) => handleLogin(s, r) },
  { method: 'POST', path: /^\/session\/token-request$/, endpoint: 'token', handle: (s, r) => handleTokenRequest(s, r) },
  { method: 'POST', path: /^\/queries\/v1\/query-request$/, endpoint: 'query', handle: (s, r, _m, u) => handleQueryRequest(s, r, u) },
  { method: 'GET', path: /^\/queries\/([^/]+)\/result$/, endpoint: 'result', handle: (s, r, m) => handleResultRequest(s, r, m[1]!) },
  { method: 'POST', path: /^\/queries\/v1\/abort-request$/, handle: (s, r) => handleAbortRequest(s, r, undefined) },
  { method: 'POST', path: /^\/queries\/([^/]+)\/abort-request$/, handle: (s, r, m) => handleAbortRequest(s, r, m[1]!) },
  { method: 'GET', path: /^\/monitoring\/queries\/([^/]+)$/, handle: (s, r, m) => handleMonitoringRequest(s, r, m[1]!) },
  { method: 'POST', path: /^\/session\/heartbeat$/, handle: async (s, r) => withSession(s, r, () => { s.counters.heartbeats++; }) },
  { method: 'POST', path: /^\/session$/, handle: async (s, r) => closeSession(s, r) },
  // Telemetry is fire-and-forget from the driver; accept and drop it.
  { method: 'POST', path: /^\/telemetry\/send$/, handle: async () => ok(null) },
];

const CHUNK_PATH = /^\/chunks\/([^/]+)\/(\d+)$/;

export function requestHandler(state: EmulatorState) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    route(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { message: String(error) });
      else response.destroy();
    });
  };
}

async function route(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // A trailing slash on accessUrl makes the driver request `//session/...` (spec §1.1); collapse it
  // before parsing, or `//session` would read as a protocol-relative URL to a host named "session".
  const url = new URL((request.url ?? '/').replace(/^\/{2,}/, '/'), state.baseUrl);
  const path = url.pathname.replace(/\/{2,}/g, '/');
  const chunk = request.method === 'GET' ? CHUNK_PATH.exec(path) : null;
  if (chunk) {
    const failure = takeFailure(state, 'chunk');
    if (failure && !('chunkBody' in failure)) return answerWithFailure(failure, response);
    return handleChunkRequest(state, request, response, chunk[1]!, Number(chunk[2]), failure?.chunkBody);
  }
  for (const candidate of ROUTES) {
    const match = request.method === candidate.method ? candidate.path.exec(path) : null;
    if (!match) continue;
    const failure = candidate.endpoint ? takeFailure(state, candidate.endpoint) : undefined;
    if (failure && !('afterHandling' in failure && failure.afterHandling)) return answerWithFailure(failure, response);
    const envelope = await candidate.handle(state, request, match, url);
    if (failure) return answerWithFailure(failure, response);
    return sendEnvelope(response, envelope);
  }
  sendJson(response, 404, { message: `the Snowflake emulator has no ${request.method} ${path}` });
}

function answerWithFailure(failure: ForcedFailure, response: ServerResponse): void {
  if ('drop' in failure) response.socket?.destroy();
  else if ('status' in failure) sendJson(response, failure.status, { message: `forced HTTP ${failure.status}` });
  else if ('error' in failure) sendEnvelope(response, fail(failure.error.code, failure.error.message, failure.error.sqlState ? { sqlState: failure.error.sqlState } : null));
}

async function withSession(state: EmulatorState, request: IncomingMessage, action: () => void): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  action();
  return ok(null);
}

/** POST /session?delete=true */
async function closeSession(state: EmulatorState, request: IncomingMessage): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  state.sessions.close(auth.session);
  for (const [queryId, result] of state.results) if (result.sessionId === auth.session.id) state.results.delete(queryId);
  state.counters.sessionsClosed++;
  return ok(null);
}
