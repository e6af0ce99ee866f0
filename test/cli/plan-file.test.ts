import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPlanFile, writePlanFile } from '../../src/cli/plan-file.ts';
import type { Change } from '../../src/core/change.ts';
import { changeList, collectChanges } from '../../src/core/change-set.ts';
import { GZIP_ABOVE_CHANGES, PlanFileError } from '../../src/core/plan-codec.ts';
import { PLAN_FORMAT_VERSION, type Plan, type SyncPlan } from '../../src/core/plan.ts';

function creates(sync: string, count: number): Change[] {
  return Array.from({ length: count }, (_, i) => ({
    action: 'create' as const,
    key: `${sync}-user${i}@example.com`,
    after: { email: `user${i}@example.com`, phone: `+33 1 ${i}`, note: 'é "quoted" \n line' },
    before: null,
    changedFields: ['email', 'note', 'phone'],
    fingerprint: `fp${i}`,
    remoteId: null,
  }));
}

function syncPlan(sync: string, changes: Change[]): SyncPlan {
  return {
    sync,
    definitionHash: 'h',
    base: { lineage: 'l', serial: 3 },
    mode: 'upsert',
    destination: { connection: 'crm', object: 'contacts', matchOn: 'email' },
    sensitiveFields: ['phone'],
    changes: changeList(changes),
    totals: { create: changes.length, update: 0, delete: 0 },
    modelRows: changes.length,
    snapshotRows: 0,
    ignored: { update: 0, delete: 0 },
    diagnostics: [],
    blocked: null,
    errored: false,
  };
}

function planOf(...syncs: SyncPlan[]): Plan {
  return { formatVersion: PLAN_FORMAT_VERSION, toolVersion: '0.1.0', id: 'plan-1', createdAt: '2026-11-29T00:00:00.000Z', syncs };
}

/** A plan with its change sets read out, for comparing plans by value. */
async function materialised(plan: Plan): Promise<unknown> {
  return { ...plan, syncs: await Promise.all(plan.syncs.map(async ({ changes, ...rest }) => ({ ...rest, changes: await collectChanges(changes) }))) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ebb-plan-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('plan files', () => {
  it('round-trip a small plan as plain JSON lines, exact payloads included, mode 0600', async () => {
    const plan = planOf(syncPlan('contacts', creates('contacts', 3)));
    const path = join(dir, 'small.plan');
    await writePlanFile(path, plan);
    const text = readFileSync(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(4); // the header, then a line per change
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await materialised(await readPlanFile(path))).toEqual(await materialised(plan));
  });

  it('gzip a large plan; each sync reads back its own changes, as often as asked', async () => {
    const plan = planOf(syncPlan('contacts', creates('contacts', GZIP_ABOVE_CHANGES)), syncPlan('empty', []), syncPlan('companies', creates('companies', 7)));
    const path = join(dir, 'large.plan');
    await writePlanFile(path, plan);
    const bytes = readFileSync(path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(bytes.length).toBeLessThan(gunzipSync(bytes).length / 4);
    const read = await readPlanFile(path);
    expect(read.syncs.map((s) => s.changes.count)).toEqual([GZIP_ABOVE_CHANGES, 0, 7]);
    expect(await materialised(read)).toEqual(await materialised(plan));
    expect((await collectChanges(read.syncs[2]!.changes)).map((c) => c.key)).toEqual(creates('companies', 7).map((c) => c.key));
  });

  it('say where a plan file cannot be written, leaving nothing behind', async () => {
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, 'x');
    await expect(writePlanFile(join(notADirectory, 'p.plan'), planOf(syncPlan('contacts', creates('contacts', 3))))).rejects.toThrow(
      /cannot write the plan file .*file\/p\.plan: .*Choose another path for --out/,
    );
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('refuse other format versions, other files, damaged and cut-short files, saying what to do', async () => {
    const path = join(dir, 'bad.plan');
    await writePlanFile(path, planOf(syncPlan('contacts', creates('contacts', 3))));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    const attempt = (text: string | Buffer) => {
      writeFileSync(path, text);
      return readPlanFile(path);
    };
    await expect(attempt([JSON.stringify({ ...header, formatVersion: 1 }), ...lines.slice(1)].join('\n'))).rejects.toThrow(/format version 1; this Ebb reads version 2\. Re-run `ebb plan`/);
    await expect(readPlanFile(join(dir, 'missing.plan'))).rejects.toThrow(/there is no plan file at .*missing\.plan\. Save one with `ebb plan --out FILE`/);
    await expect(readPlanFile(dir)).rejects.toThrow(/cannot read the plan file .*EISDIR/);
    await expect(attempt('{"hello":1}')).rejects.toThrow(PlanFileError);
    await expect(attempt('not json')).rejects.toThrow(/not an Ebb plan/);
    await expect(attempt('')).rejects.toThrow(/the plan file is empty/);
    await expect(attempt(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).rejects.toThrow(/corrupt/);
    await expect(attempt(lines.slice(0, 3).join('\n'))).rejects.toThrow(/holds 2 change\(s\) where its header announces 3/);
    // The executor sizes its batches and phases by the totals, so they must match the lines.
    const syncs = header['syncs'] as Record<string, unknown>[];
    const wrongTotals = { ...header, syncs: [{ ...syncs[0], totals: { create: 2, update: 1, delete: 0 } }] };
    await expect(attempt([JSON.stringify(wrongTotals), ...lines.slice(1)].join('\n'))).rejects.toThrow(/changes for "contacts" do not match its totals/);
    await expect(attempt(gzipSync(lines.slice(0, 3).join('\n')))).rejects.toThrow(/cut short/);
    await expect(attempt([...lines.slice(0, 2), '{"action":"create",', lines[3]].join('\n'))).rejects.toThrow(/line 3 of the plan file is not valid JSON/);
    await expect(attempt([...lines.slice(0, 2), '{"action":"merge","key":"k","changedFields":[]}', lines[3]].join('\n'))).rejects.toThrow(/line 3 of the plan file is not a change/);
  });
});
