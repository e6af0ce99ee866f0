import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EBB_BIN, runEbb, startCommand } from '../support/ebb-binary.ts';
import { createMemoryProject, expectEveryCustomerCreatedOnce, type MemoryProject } from '../support/memory-project.ts';

/**
 * A full disk, for real: the real `ebb` binary runs in a private mount namespace (`unshare -m`) where
 * one directory is a small tmpfs, so its writes fail with ENOSPC as on a full disk. The mount lives
 * only as long as that process; what the test must look at afterwards is copied out first.
 */
let p: MemoryProject;
afterEach(async () => p?.close());

interface SmallDiskRun {
  /** The directory that becomes the small disk (created if missing). */
  mountpoint: string;
  size: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Where to copy the small disk's files once ebb has exited (they vanish with the mount). */
  saveTo?: string;
}

async function ebbOnSmallDisk(run: SmallDiskRun, cwd: string): Promise<{ code: number | null; output: string; leftOnDisk: string[] }> {
  mkdirSync(run.mountpoint, { recursive: true });
  const script = [
    'set -u',
    `mount -t tmpfs -o size=${run.size} tmpfs "$MOUNTPOINT" || exit 99`,
    `"$NODE" "$EBB" "$@"`,
    'code=$?',
    // What ebb left on the small disk, for the test to read (tsx keeps its own cache there).
    'ls -A "$MOUNTPOINT" | grep -v "^tsx-" > "$LISTING"',
    run.saveTo ? 'cp -a "$MOUNTPOINT"/. "$SAVE_TO"/' : 'true',
    'exit $code',
  ].join('\n');
  const listing = join(cwd, `.listing-${Date.now()}`);
  const env = { ...run.env, MOUNTPOINT: run.mountpoint, NODE: process.execPath, EBB: EBB_BIN, LISTING: listing, SAVE_TO: run.saveTo ?? '' };
  const child = startCommand('unshare', ['-m', 'sh', '-c', script, 'ebb', ...run.args], cwd, env);
  const { code } = await child.exited;
  const leftOnDisk = readFileSync(listing, 'utf8').split('\n').filter(Boolean);
  return { code, output: child.output(), leftOnDisk };
}

const STACK_TRACE = /^\s+at /m;

describe('a plan on a full disk', () => {
  it('stops with an error naming the temporary files and what to do, and leaves nothing behind', async () => {
    p = await createMemoryProject({ rows: 20_000 });
    const small = join(p.project.dir, 'small-tmp');

    // Staging goes to SQLite's temporary files, in TMPDIR.
    const staging = await ebbOnSmallDisk({ mountpoint: small, size: '256k', args: ['plan'], env: { TMPDIR: small, SQLITE_TMPDIR: '' } }, p.project.dir);
    expect(staging.code, staging.output).toBe(1);
    expect(staging.output).toContain('Error [LOCAL_STORAGE]: could not stage the model: the disk is full (SQLITE_FULL)');
    expect(staging.output).toContain("the plan's staging is in SQLite's temporary files, in $SQLITE_TMPDIR, else $TMPDIR, else /var/tmp");
    expect(staging.output).toContain('Free space there, or point TMPDIR at a larger disk, and run again');
    expect(staging.output).not.toMatch(STACK_TRACE);

    // Staging has room (SQLITE_TMPDIR), the plan's spool of 20,000 creates does not (TMPDIR).
    const spool = await ebbOnSmallDisk({ mountpoint: small, size: '256k', args: ['plan'], env: { TMPDIR: small, SQLITE_TMPDIR: tmpdir() } }, p.project.dir);
    expect(spool.code, spool.output).toBe(1);
    expect(spool.output).toMatch(/could not write the plan's changes to \S+small-tmp\/ebb-plan-[^ ]+ \(ENOSPC: no space left on device, write\)/);
    expect(spool.output).toContain('point TMPDIR at a larger disk, then plan again');
    expect(spool.output).not.toMatch(STACK_TRACE);
    expect(spool.leftOnDisk).toEqual([]); // the half-written spool is gone

    // The plan file itself on a full disk: an error, and no half-written file.
    const saved = await ebbOnSmallDisk({ mountpoint: small, size: '256k', args: ['plan', '--out', join(small, 'contacts.plan')] }, p.project.dir);
    expect(saved.code, saved.output).toBe(1);
    expect(saved.output).toContain(`cannot write the plan file ${join(small, 'contacts.plan')}: ENOSPC: no space left on device, write. Free space on its disk, or choose another path for --out`);
    expect(saved.output).not.toMatch(STACK_TRACE);
    expect(saved.leftOnDisk).toEqual([]);

    // Nothing was planned into the snapshot: on a disk with room, the plan is whole.
    const plan = await runEbb(['plan', '--detailed-exitcode'], p.project.dir);
    expect(plan.code, plan.output).toBe(2);
    expect(plan.output).toContain('Plan: 20000 to create, 0 to update, 0 to delete.');
  }, 60_000);
});

describe('an apply whose snapshot disk fills up', () => {
  it('stops at once, says which rows reached the destination unrecorded, and a re-run on a disk with room ends equal to the model with no record created twice', async () => {
    p = await createMemoryProject({ rows: 10_000 });
    const state = join(p.project.dir, '.ebb');
    const saved = join(p.project.dir, 'saved-state');
    mkdirSync(saved);

    const full = await ebbOnSmallDisk({ mountpoint: state, size: '1m', args: ['apply', '--auto-approve'], saveTo: saved }, p.project.dir);
    expect(full.code, full.output).toBe(1);
    expect(full.output).not.toMatch(STACK_TRACE);
    const summary = /contacts: partial: (\d+) delivered, 0 failed of 10000; \d+ API call\(s\), 0 rate-limited\. stopped: could not record a delivered batch in the snapshot: the disk is full \(SQLITE_FULL\)\. The snapshot is \S+\/\.ebb\/snapshot\.sqlite \(\d+ KB free on its disk\)\. Free space on that disk and run again\. (\d+) row\(s\) reached the destination but are not recorded: the next plan proposes them again, and they are matched on "external_id", so sending them again updates the same records\. (\d+) change\(s\) were not sent and stay pending\./.exec(full.output);
    expect(summary, full.output).not.toBeNull();
    const [delivered, unrecorded, unsent] = [Number(summary![1]), Number(summary![2]), Number(summary![3])];
    expect(unrecorded).toBeGreaterThan(0);
    expect(delivered + unsent).toBe(10_000);
    // Every delivered row is in the sandbox, and nothing more went out after the disk filled.
    expect(p.destination().size).toBe(delivered);

    // Space freed: the snapshot moves to a disk with room, as an operator would.
    cpSync(saved, state, { recursive: true });
    const replan = await runEbb(['plan', '--detailed-exitcode'], p.project.dir);
    expect(replan.code, replan.output).toBe(2);
    // Proposed again: what was never sent, and what was sent but not recorded.
    expect(replan.output).toContain(`Plan: ${unsent + unrecorded} to create, 0 to update, 0 to delete.`);
    const rerun = await runEbb(['apply', '--auto-approve'], p.project.dir);
    expect(rerun.code, rerun.output).toBe(0);

    expectEveryCustomerCreatedOnce(p, 10_000);
    expect((await runEbb(['plan', '--detailed-exitcode'], p.project.dir)).code).toBe(0);
    expect(readdirSync(state)).toContain('snapshot.sqlite');
  }, 90_000);
});
