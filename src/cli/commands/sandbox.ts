import type { RunningSandbox } from '../../sandbox/sandbox.ts';
import type { CliIo } from '../io.ts';
import { sandboxStarters, type SandboxFlags } from '../sandboxes.ts';

/**
 * `ebb sandbox [NAME…]`: runs local API-compatible destinations until Ctrl-C, for rehearsing a sync.
 * With several names, each gets its own port (--port applies to the first).
 */
export async function sandboxCommand(io: CliIo, flags: SandboxFlags & { names: string[] }): Promise<number> {
  const names = flags.names.length > 0 ? flags.names : ['memory'];
  const unknown = names.filter((n) => !sandboxStarters[n]);
  if (unknown.length > 0) {
    io.err(`Error: unknown sandbox ${unknown.join(', ')}; available: ${Object.keys(sandboxStarters).join(', ')}`);
    return 1;
  }
  const running: RunningSandbox[] = [];
  for (const [i, name] of names.entries()) {
    const sandbox = await sandboxStarters[name]!({ ...flags, port: i === 0 ? flags.port : 0 });
    running.push(sandbox);
    io.out(`${name} sandbox listening on ${sandbox.url} (records: ${sandbox.url}/__sandbox/stats)`);
  }
  io.out('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(running.map((s) => s.close()));
  return 0;
}
