import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';

/** `ebb runs [SYNC]`: recent runs, newest first. */
export async function runsCommand(io: CliIo, project: Project, flags: { sync?: string; limit: number }): Promise<number> {
  if (flags.sync) project.select([flags.sync]); // an unknown name is an error listing the known ones, not "no runs"
  const runs = await project.store.listRuns({ ...(flags.sync ? { sync: flags.sync } : {}), limit: flags.limit });
  if (runs.length === 0) {
    io.out('No runs yet. Run `ebb apply` to make one.');
    return 0;
  }
  for (const run of runs) {
    io.out(`${run.startedAt}  ${run.sync.padEnd(24)} ${run.kind.padEnd(5)} ${run.status.padEnd(9)} planned ${run.planned}, delivered ${run.delivered}, failed ${run.failed}, ${run.apiCalls} call(s), ${run.rateLimited} 429(s)${run.message ? `  ${run.message}` : ''}`);
  }
  return 0;
}
