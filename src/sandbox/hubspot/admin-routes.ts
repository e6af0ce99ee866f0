import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, sendJson } from './http-io.ts';
import type { SandboxState } from './state.ts';
import type { SandboxObjectDefinition, SandboxProperty } from './types.ts';

/**
 * `/__sandbox/…`: read-back and knobs over HTTP, for another process (the CLI in a test, the demo).
 *   GET  /__sandbox/records/{object}              live records
 *   GET  /__sandbox/creates/{object}?property=p  creations per value of p (duplicates check)
 *   GET  /__sandbox/stats                         request counts, 429s, batch sizes
 *   GET  /__sandbox/knobs · POST /__sandbox/knobs (partial JSON)
 *   POST /__sandbox/objects                       add a custom object {objectTypeId, name, properties}
 *   POST /__sandbox/properties/{object}          add a property
 *   POST /__sandbox/reset-limits                  clear rolling windows and daily counters
 */
export async function handleAdmin(state: SandboxState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [resource, object] = parts;
  const method = request.method ?? 'GET';
  try {
    if (method === 'GET' && resource === 'records' && object !== undefined) {
      const schema = state.schemas.get(object);
      if (schema === undefined) return sendJson(response, 404, { message: `unknown object "${object}"` });
      return sendJson(response, 200, { results: state.store.of(schema).live() });
    }
    if (method === 'GET' && resource === 'creates' && object !== undefined) {
      const schema = state.schemas.get(object);
      const property = url.searchParams.get('property');
      if (schema === undefined || property === null) return sendJson(response, 400, { message: 'use /__sandbox/creates/{object}?property={name}' });
      return sendJson(response, 200, { counts: Object.fromEntries(state.store.of(schema).createsPer(property)) });
    }
    if (method === 'GET' && resource === 'stats') return sendJson(response, 200, state.stats.snapshot());
    if (resource === 'knobs' && method === 'GET') return sendJson(response, 200, state.knobs);
    if (resource === 'knobs' && method === 'POST') return sendJson(response, 200, state.setKnobs(await readJson(request)));
    if (method === 'POST' && resource === 'objects') {
      const schema = state.schemas.addObject((await readJson(request)) as SandboxObjectDefinition);
      return sendJson(response, 201, { objectTypeId: schema.id });
    }
    if (method === 'POST' && resource === 'properties' && object !== undefined) {
      state.schemas.addProperty(object, (await readJson(request)) as SandboxProperty);
      return sendJson(response, 201, { ok: true });
    }
    if (method === 'POST' && resource === 'reset-limits') {
      state.limits.reset();
      return sendJson(response, 200, { ok: true });
    }
    return sendJson(response, 404, { message: `no sandbox route ${method} ${url.pathname}` });
  } catch (error) {
    return sendJson(response, 400, { message: error instanceof Error ? error.message : String(error) });
  }
}
