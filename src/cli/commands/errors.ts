import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';

/** `ebb errors SYNC`: rows the destination rejected (or that could not be sent) and why. */
export async function errorsCommand(io: CliIo, project: Project, flags: { sync: string; limit: number; json: boolean }): Promise<number> {
  project.select([flags.sync]);
  const errors = await project.store.listRowErrors({ sync: flags.sync, limit: flags.limit });
  const total = await project.store.countRowErrors(flags.sync);
  if (flags.json) {
    io.out(JSON.stringify({ sync: flags.sync, total, errors }, null, 2));
    return 0;
  }
  if (total === 0) {
    io.out(`${flags.sync}: no failed rows.`);
    return 0;
  }
  io.out(`${flags.sync}: ${total} row(s) not delivered. Each is proposed again by the next plan; fix the data or the mapping.`);
  for (const e of errors) {
    io.out(`  ${e.key}  ${e.action}  ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}  [attempts ${e.attempts}, last ${e.lastSeenAt}]`);
  }
  if (total > errors.length) io.out(`  … and ${total - errors.length} more (use --limit or --json)`);
  return 0;
}
