import type { Row } from '../../core/values.ts';
import { invalid, notFound } from './http.ts';
import { companyRow, contactRow } from './render.ts';
import type { Route, RouteContext } from './route.ts';
import type { IntercomSandboxKnobs, SandboxState } from './state.ts';

export type SandboxObject = 'contacts' | 'companies';

export function recordsOf(state: SandboxState, object: string): Row[] {
  if (object === 'contacts') return [...state.store.contacts.values()].map(contactRow);
  if (object === 'companies') return [...state.store.companies.values()].map(companyRow);
  throw notFound(`Unknown object '${object}'; the Intercom sandbox holds contacts and companies`);
}

async function setKnobs(ctx: RouteContext) {
  const body = await ctx.body();
  try {
    ctx.state.setKnobs(body as Partial<IntercomSandboxKnobs>);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return { body: ctx.state.knobs };
}

/**
 * Read-back and knobs over HTTP, for another process (the CLI under test, the demo). Not behind the
 * token or the rate limit, and not counted in the stats.
 */
export const adminRoutes: Route[] = [
  { method: 'GET', pattern: /^\/__sandbox\/records\/([^/]+)$/, label: 'records', handle: (ctx) => ({ body: { records: recordsOf(ctx.state, ctx.params[0] ?? '') } }) },
  { method: 'GET', pattern: /^\/__sandbox\/stats$/, label: 'stats', handle: (ctx) => ({ body: ctx.state.stats() }) },
  { method: 'GET', pattern: /^\/__sandbox\/knobs$/, label: 'knobs', handle: (ctx) => ({ body: ctx.state.knobs }) },
  { method: 'POST', pattern: /^\/__sandbox\/knobs$/, label: 'set knobs', handle: setKnobs },
  {
    method: 'POST',
    pattern: /^\/__sandbox\/reset$/,
    label: 'reset',
    handle: (ctx) => {
      ctx.state.reset();
      return { body: { reset: true } };
    },
  },
];
