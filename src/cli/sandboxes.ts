import type { RunningSandbox } from '../sandbox/sandbox.ts';
import { startHubspotSandbox } from '../sandbox/hubspot/index.ts';
import { startMemorySandbox } from '../sandbox/memory/index.ts';

/** Flags of `ebb sandbox`, as given (strings), for each sandbox to read what applies to it. */
export interface SandboxFlags {
  port: number;
  requestsPerWindow?: string;
  windowMs?: string;
  dailyLimit?: string;
}

const num = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** Every local destination `ebb sandbox` can start. */
export const sandboxStarters: Record<string, (flags: SandboxFlags) => Promise<RunningSandbox>> = {
  memory: (f) =>
    startMemorySandbox({
      port: f.port,
      ...(f.requestsPerWindow ? { requestsPerWindow: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
    }),
  hubspot: (f) =>
    startHubspotSandbox({
      port: f.port,
      ...(f.requestsPerWindow ? { requestsPer10s: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
      ...(f.dailyLimit ? { dailyLimit: num(f.dailyLimit)! } : {}),
    }),
};
