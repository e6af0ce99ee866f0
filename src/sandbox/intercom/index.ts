import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Row } from '../../core/values.ts';
import type { RunningSandbox } from '../sandbox.ts';
import { recordsOf, type SandboxObject } from './admin-routes.ts';
import type { CustomAttributeDefinition, IntercomSandboxOptions } from './options.ts';
import { createRequestHandler } from './server.ts';
import { SandboxState, type IntercomSandboxKnobs, type IntercomSandboxStats } from './state.ts';

export type { CustomAttributeDefinition, IntercomSandboxOptions } from './options.ts';
export { DEFAULT_CUSTOM_ATTRIBUTES, DEFAULT_SANDBOX_TOKEN } from './options.ts';
export type { IntercomSandboxKnobs, IntercomSandboxStats } from './state.ts';

/**
 * A local Intercom (API 2.x) that the real `intercom-client` works against unchanged: contacts
 * (create, update, get, delete, search, find by external_id, 409 on a duplicate email or external_id),
 * companies (create-or-update by company_id), custom data attributes, a per-window rate limit with
 * `X-RateLimit-*` headers, and a Bearer token check. Read-back and knobs are also served over HTTP
 * under `/__sandbox/` (records/{object}, stats, knobs, reset).
 */
export interface IntercomSandbox extends RunningSandbox {
  /** The Bearer token the sandbox accepts. */
  token: string;
  /** Stored records as flat rows; custom attributes appear as `custom_attributes.<name>`. */
  records(object: SandboxObject): Row[];
  stats(): IntercomSandboxStats;
  knobs(): IntercomSandboxKnobs;
  /** Changes knobs at runtime; throws on a bad value without changing anything. */
  setKnobs(knobs: Partial<IntercomSandboxKnobs>): void;
  /** The next `count` API requests (after `after` served normally) answer `status` (default 500). */
  failNext(count: number, status?: number, after?: number): void;
  defineAttribute(definition: CustomAttributeDefinition): void;
  /** Forgets records, creation counts and stats (custom attributes and knobs stay). */
  reset(): void;
}

export async function startIntercomSandbox(options: IntercomSandboxOptions = {}): Promise<IntercomSandbox> {
  const state = new SandboxState(options);
  const handle = createRequestHandler(state);
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    name: 'intercom',
    url: `http://${host}:${port}`,
    get token() {
      return state.knobs.token;
    },
    records: (object) => recordsOf(state, object),
    stats: () => state.stats(),
    knobs: () => structuredClone(state.knobs),
    setKnobs: (knobs) => state.setKnobs(knobs),
    failNext: (count, status = 500, after = 0) => state.setKnobs({ failNext: count, failStatus: status, failAfter: after }),
    defineAttribute: (definition) => {
      if (state.store.attribute(definition.model, definition.name) === undefined) state.store.addAttribute(definition);
    },
    reset: () => state.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
