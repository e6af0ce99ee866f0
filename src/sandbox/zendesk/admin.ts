import type { ZendeskKnobs } from './knobs.ts';
import type { Reply } from './routes.ts';
import type { ZendeskSandboxStats } from './stats.ts';
import { ZENDESK_OBJECTS, type ZendeskObject, type ZendeskStore } from './store.ts';

export interface AdminContext {
  store: ZendeskStore;
  knobs: ZendeskKnobs;
  stats: () => ZendeskSandboxStats;
  reset: () => void;
}

/**
 * Read-back and knobs over HTTP, for a process that did not start the sandbox (the CLI in a test, the
 * demo): `GET /__sandbox/records/users`, `GET /__sandbox/deleted/users`, `GET /__sandbox/stats`,
 * `GET|POST /__sandbox/knobs`, `POST /__sandbox/reset`.
 */
export function routeAdmin(method: string, parts: string[], body: unknown, ctx: AdminContext): Reply {
  const [what, objectName] = parts;
  const object = ZENDESK_OBJECTS.find((candidate) => candidate === objectName) as ZendeskObject | undefined;
  if (method === 'GET' && what === 'records' && object) return { status: 200, body: ctx.store.list(object) };
  if (method === 'GET' && what === 'deleted' && object) return { status: 200, body: ctx.store.deleted[object] };
  if (method === 'GET' && what === 'stats') return { status: 200, body: ctx.stats() };
  if (method === 'GET' && what === 'knobs') return { status: 200, body: ctx.knobs };
  if (method === 'POST' && what === 'knobs') {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { status: 400, body: { error: 'Send a JSON object of knobs to change.' } };
    const unknown = Object.keys(body).filter((key) => !(key in ctx.knobs));
    if (unknown.length > 0) return { status: 400, body: { error: `Unknown knobs: ${unknown.join(', ')}. Known: ${Object.keys(ctx.knobs).join(', ')}.` } };
    Object.assign(ctx.knobs, body);
    return { status: 200, body: ctx.knobs };
  }
  if (method === 'POST' && what === 'reset') {
    ctx.reset();
    return { status: 200, body: {} };
  }
  return { status: 404, body: { error: `${method} /__sandbox/${parts.join('/')} is not a sandbox route; try records/users, records/organizations, stats or knobs.` } };
}
