import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin-routes.ts';
import { handleCrm } from './crm-routes.ts';
import { errorBody } from './error-bodies.ts';
import { sendJson } from './http-io.ts';
import { SandboxState } from './state.ts';
import type { HubspotSandbox, HubspotSandboxOptions } from './types.ts';

export type * from './types.ts';

/**
 * A local HubSpot CRM v3 API for `@hubspot/api-client`: batch create/update/upsert/read/archive for
 * contacts, companies, deals and custom objects, the properties API, HubSpot's validation errors (207
 * and 400 bodies), per-token rolling-window and daily limits with the real headers and 429 bodies.
 */
export async function startHubspotSandbox(options: HubspotSandboxOptions = {}): Promise<HubspotSandbox> {
  const state = new SandboxState(options);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const handled = url.pathname.startsWith('/__sandbox/')
      ? handleAdmin(state, request, response, url)
      : handleCrm(state, request, response, url.pathname);
    handled.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody('INTERNAL_ERROR', `sandbox bug: ${String(error)}`));
      else response.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const schemaOf = (object: string) => {
    const schema = state.schemas.get(object);
    if (schema === undefined) throw new Error(`the HubSpot sandbox has no object "${object}"; add it with addObject`);
    return schema;
  };

  return {
    name: 'hubspot',
    url: `http://${host}:${port}`,
    portalId: state.schemas.portalId,
    records: (object) => state.store.of(schemaOf(object)).live().map((record) => structuredClone(record)),
    createsPerKey: (object, property) => state.store.of(schemaOf(object)).createsPer(property),
    stats: () => state.stats.snapshot(),
    knobs: () => ({ ...state.knobs }),
    setKnobs: (patch) => void state.setKnobs(patch),
    addObject: (definition) => void state.schemas.addObject(definition),
    addProperty: (object, property) => state.schemas.addProperty(object, property),
    resetLimits: () => state.limits.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
