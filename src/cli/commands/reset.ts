import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';

/**
 * `ebb reset SYNC`: forget what Ebb believes the destination holds; the next plan proposes every row
 * again (upserts make that safe). Asks for the sync's name as confirmation.
 */
export async function resetCommand(io: CliIo, project: Project, flags: { sync: string; autoApprove: boolean }): Promise<number> {
  project.select([flags.sync]);
  const rows = await project.store.countRows(flags.sync);
  if (!flags.autoApprove) {
    const answer = await io.ask(`This forgets the ${rows} record(s) Ebb recorded for "${flags.sync}"; the next plan will propose every model row again.\nType the sync's name to confirm: `);
    if (answer === null) {
      io.err('Refusing to reset without confirmation: no terminal to ask. Re-run with --auto-approve.');
      return 1;
    }
    if (answer.trim() !== flags.sync) {
      io.err('Reset cancelled.');
      return 1;
    }
  }
  const state = await project.store.reset(flags.sync);
  io.out(`Reset ${flags.sync}: new lineage ${state.lineage}. Plans made before this are now refused.`);
  return 0;
}
