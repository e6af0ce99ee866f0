import type { IncomingMessage } from 'node:http';
import type { SalesforceKnobs } from './knobs.ts';
import type { OAuthClient } from './oauth.ts';
import { ok, readJson, sfError, type Reply } from './reply.ts';

/** The in-process controls that `/__sandbox/` exposes over HTTP, for a CLI or demo in another process. */
export interface SandboxControls {
  knobs: SalesforceKnobs;
  records(object: string): Array<Record<string, unknown>>;
  stats(): unknown;
  setApiUsage(used: number): void;
  expireTokens(): void;
  revokeRefreshTokens(): void;
  registerClient(client: OAuthClient): void;
  reset(): void;
}

/**
 * `GET /__sandbox/records/{object}` · `GET /__sandbox/stats` · `GET|POST /__sandbox/knobs` ·
 * `POST /__sandbox/{expire-tokens,revoke-refresh-tokens,reset}` · `POST /__sandbox/api-usage {used}` ·
 * `POST /__sandbox/clients {clientId, …}`.
 */
export async function handleAdmin(req: IncomingMessage, parts: string[], c: SandboxControls): Promise<Reply> {
  const [, action, arg] = parts;
  const method = req.method ?? 'GET';
  if (method === 'GET' && action === 'records' && arg) return ok(c.records(arg));
  if (method === 'GET' && action === 'stats') return ok(c.stats());
  if (method === 'GET' && action === 'knobs') return ok(c.knobs);
  if (method === 'POST' && action === 'knobs') {
    Object.assign(c.knobs, (await readJson(req)) as Partial<SalesforceKnobs>);
    return ok(c.knobs);
  }
  if (method === 'POST' && action === 'api-usage') {
    const { used } = (await readJson(req)) as { used?: unknown };
    if (typeof used !== 'number' || used < 0) return sfError(400, 'INVALID_INPUT', 'body must be {"used": <non-negative number>}');
    c.setApiUsage(used);
    return ok({ used });
  }
  if (method === 'POST' && action === 'clients') {
    const client = (await readJson(req)) as OAuthClient;
    if (typeof client?.clientId !== 'string') return sfError(400, 'INVALID_INPUT', 'body must be an OAuth client with a clientId');
    c.registerClient(client);
    return ok({ clientId: client.clientId });
  }
  const actions: Record<string, () => void> = { 'expire-tokens': c.expireTokens, 'revoke-refresh-tokens': c.revokeRefreshTokens, reset: c.reset };
  const run = method === 'POST' && action ? actions[action] : undefined;
  if (run) {
    run();
    return ok({ done: action });
  }
  return sfError(404, 'NOT_FOUND', `${method} /${parts.join('/')} is not part of the Salesforce sandbox API`);
}
