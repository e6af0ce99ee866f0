import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';
import { computePlan } from './plan.ts';

export interface SyncStatus {
  sync: string;
  lastRun: { at: string; status: string; delivered: number; failed: number } | null;
  records: number;
  failedRows: number;
  /** Changes the next plan would make; null when not computed (--offline) or the model failed. */
  pending: number | null;
}

/** `ebb status`: per sync, the last run, what the snapshot holds, failed rows, and pending changes. */
export async function statusCommand(io: CliIo, project: Project, flags: { syncs: string[]; offline: boolean; json: boolean }): Promise<number> {
  const syncs = project.select(flags.syncs);
  const pending = new Map<string, number | null>();
  if (!flags.offline) {
    const plan = await computePlan(project, syncs.map((s) => s.name));
    for (const s of plan.syncs) pending.set(s.sync, s.errored ? null : s.changes.length);
  }
  const statuses: SyncStatus[] = [];
  for (const sync of syncs) {
    const [run] = await project.store.listRuns({ sync: sync.name, limit: 1 });
    statuses.push({
      sync: sync.name,
      lastRun: run ? { at: run.finishedAt ?? run.startedAt, status: run.status, delivered: run.delivered, failed: run.failed } : null,
      records: await project.store.countRows(sync.name),
      failedRows: await project.store.countRowErrors(sync.name),
      pending: pending.get(sync.name) ?? null,
    });
  }
  if (flags.json) {
    io.out(JSON.stringify(statuses, null, 2));
    return 0;
  }
  for (const s of statuses) {
    const last = s.lastRun ? `last run ${s.lastRun.at} ${s.lastRun.status} (${s.lastRun.delivered} delivered, ${s.lastRun.failed} failed)` : 'never applied';
    const pendingText = flags.offline ? 'pending not computed (--offline)' : s.pending === null ? 'pending unknown (plan failed: run `ebb plan`)' : `${s.pending} pending change(s)`;
    io.out(`${s.sync.padEnd(24)} ${last}; ${s.records} record(s) in snapshot; ${s.failedRows} failed row(s); ${pendingText}`);
  }
  return 0;
}
