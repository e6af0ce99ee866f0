import { isSnapshotOnly, type Change } from '../../core/change.ts';
import { collectChanges } from '../../core/change-set.ts';
import { formatDiagnostic } from '../../core/diagnostics.ts';
import type { Plan, SyncPlan } from '../../core/plan.ts';
import type { Value } from '../../core/values.ts';
import { MASK, maskPlan } from './mask.ts';
import type { Style } from './style.ts';

export interface TextPlanOptions {
  style: Style;
  /** Records shown per sync; the rest are counted (the JSON and plan file always hold every one). */
  maxChangesPerSync: number;
}

/** The terminal view of a plan: `+` / `~` / `-` per record, before → after per field, totals. */
export async function renderPlanText(plan: Plan, options: TextPlanOptions): Promise<string> {
  const masked = maskPlan(plan);
  const lines: string[] = [];
  for (const syncPlan of masked.syncs) lines.push(...(await renderSync(syncPlan, options)), '');
  lines.push(summaryLine(masked, options.style));
  return lines.join('\n');
}

async function renderSync(plan: SyncPlan, { style, maxChangesPerSync }: TextPlanOptions): Promise<string[]> {
  const d = plan.destination;
  const lines = [style.bold(`${plan.sync} → ${d.connection} ${d.object} (${plan.mode}, matched on ${d.matchOn}${d.matchIgnoresCase ? ' ignoring case' : ''})`)];
  for (const diagnostic of plan.diagnostics) {
    const text = `  ${formatDiagnostic({ ...diagnostic, file: undefined, sync: undefined })}`;
    lines.push(diagnostic.severity === 'error' ? style.red(text) : style.yellow(text));
  }
  if (plan.errored) {
    lines.push(style.red('  Not planned: fix the errors above.'));
    return lines;
  }
  // Only the changes shown are read: the rest of a large plan stays in its spool or file.
  for (const change of await collectChanges(plan.changes, maxChangesPerSync)) lines.push(...renderChange(change, style));
  const hidden = plan.changes.count - maxChangesPerSync;
  if (hidden > 0) lines.push(style.dim(`  … and ${hidden} more change(s): use --json or --out FILE to see every one`));
  const t = plan.totals;
  const unchanged = plan.modelRows - t.create - t.update - plan.ignored.update;
  const extra = [
    plan.ignored.update > 0 ? `${plan.ignored.update} changed row(s) left alone (create-only mode)` : '',
    plan.ignored.delete > 0 ? `${plan.ignored.delete} record(s) no longer in the model kept (${plan.mode} mode never deletes)` : '',
  ].filter(Boolean);
  lines.push(`  ${t.create} to create, ${t.update} to update, ${t.delete} to delete; ${Math.max(0, unchanged)} unchanged.${extra.length ? ` ${extra.join('; ')}.` : ''}`);
  if (plan.noLongerMapped) lines.push(style.dim(`  ${noLongerMappedNote(plan.noLongerMapped, d.object)}`));
  if (plan.blocked) lines.push(style.red(`  Blocked: ${plan.blocked.message}`));
  return lines;
}

function renderChange(change: Change, style: Style): string[] {
  const id = change.remoteId ? style.dim(` (id ${change.remoteId})`) : '';
  if (change.action === 'create') {
    const fields = Object.entries(change.after ?? {});
    const width = Math.max(0, ...fields.map(([f]) => f.length));
    return [style.green(`  + ${change.key}`), ...fields.map(([f, v]) => style.green(`      ${f.padEnd(width)}  ${show(v)}`))];
  }
  if (change.action === 'delete') return [style.red(`  - ${change.key}`) + id];
  if (isSnapshotOnly(change)) return [style.dim(`  ~ ${change.key}`) + id + style.dim('  nothing to send: only fields no longer mapped differ')];
  const width = Math.max(0, ...change.changedFields.map((f) => f.length));
  return [
    style.yellow(`  ~ ${change.key}`) + id,
    ...change.changedFields.map((f) => {
      const [before, after] = [show(change.before?.[f] ?? null), show(change.after?.[f] ?? null)];
      // A masked field that changed would read "(sensitive)" → "(sensitive)": say what happened instead.
      const text = before === after && before === JSON.stringify(MASK) ? '(sensitive value changed)' : `${before} → ${after}`;
      return style.yellow(`      ${f.padEnd(width)}  ${text}`);
    }),
  ];
}

function noLongerMappedNote({ fields, snapshotOnly }: NonNullable<SyncPlan['noLongerMapped']>, object: string): string {
  const names = fields.join(', ');
  const settled = snapshotOnly > 0 ? `; ${snapshotOnly} record(s) differ only there: apply updates the snapshot and sends nothing for them` : '';
  return `No longer mapped: ${names}. Ebb stops managing ${fields.length > 1 ? 'them' : 'it'}: left as ${fields.length > 1 ? 'they are' : 'it is'} in ${object}, not cleared${settled}.`;
}

function show(value: Value | undefined): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function summaryLine(plan: Plan, style: Style): string {
  const sum = { create: 0, update: 0, delete: 0 };
  for (const s of plan.syncs) if (!s.errored) for (const a of ['create', 'update', 'delete'] as const) sum[a] += s.totals[a];
  const errored = plan.syncs.filter((s) => s.errored).length;
  const blocked = plan.syncs.filter((s) => s.blocked).length;
  const parts = [`Plan: ${sum.create} to create, ${sum.update} to update, ${sum.delete} to delete`];
  if (errored) parts.push(style.red(`${errored} sync(s) with errors`));
  if (blocked) parts.push(style.red(`${blocked} sync(s) blocked by a delete guard`));
  return style.bold(`${parts.join('; ')}.`);
}
