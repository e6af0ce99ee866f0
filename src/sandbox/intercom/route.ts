import { SandboxHttpError } from './http.ts';
import type { SandboxState } from './state.ts';

export interface RouteContext {
  state: SandboxState;
  /** Captured path segments, URL-decoded. */
  params: string[];
  query: URLSearchParams;
  body(): Promise<Record<string, unknown>>;
}

export interface RouteReply {
  status?: number;
  body: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** The endpoint as stats report it, e.g. `PUT /contacts/{id}`. */
  label: string;
  handle(ctx: RouteContext): Promise<RouteReply> | RouteReply;
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return null;
}

/** The forced-rejection knob: a write for one of these keys fails as a per-record validation error. */
export function rejectIfForced(state: SandboxState, keys: Array<unknown>): void {
  const hit = keys.find((k) => typeof k === 'string' && state.knobs.rejectKeys.includes(k));
  if (hit !== undefined) {
    throw new SandboxHttpError(400, [{ code: 'parameter_invalid', message: `Record ${String(hit)} was rejected by the sandbox (rejectKeys knob)` }]);
  }
}

export function param(ctx: RouteContext, index: number): string {
  const value = ctx.params[index];
  if (value === undefined) throw new Error(`route parameter ${index} missing`);
  return value;
}
