import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/change.ts';
import { collectChanges } from '../../src/core/change-set.ts';
import { ChangeSpool, spoolDirectoryPath } from '../../src/engine/change-spool.ts';
import { spoolDirectoryPrefix } from '../../src/engine/spool-sweep.ts';

const change = (i: number): Change => ({
  action: i % 3 === 0 ? 'update' : 'create',
  key: `k${i}`,
  after: { email: `user${i}@example.com`, note: 'é "quoted" \n line', score: i / 7, vip: i % 2 === 0, tags: ['a', i] },
  before: i % 3 === 0 ? { email: `old${i}@example.com`, note: null, score: 0, vip: false, tags: [] } : null,
  changedFields: ['email', 'note', 'score', 'tags', 'vip'],
  fingerprint: `fp${i}`,
  remoteId: i % 3 === 0 ? `r${i}` : null,
});

const spoolFiles = () => {
  const dir = spoolDirectoryPath();
  return dir ? readdirSync(dir).map((name) => join(dir, name)) : [];
};

const changesFrom = (from: number, count: number) => Array.from({ length: count }, (_, i) => change(from + i));

/** The changes through a spool that keeps at most `inMemory` of them in memory. */
function spooled(changes: Change[], inMemory: number) {
  const spool = new ChangeSpool(inMemory);
  for (const c of changes) spool.add(c);
  return spool.finish();
}

describe('ChangeSpool', () => {
  it('keeps a small plan in memory, without touching the disk', async () => {
    const before = spoolFiles();
    const changes = changesFrom(0, 10);
    const set = spooled(changes, 10);
    expect(set.count).toBe(10);
    expect(await collectChanges(set)).toEqual(changes);
    expect(spoolFiles()).toEqual(before);
  });

  it('keeps the directory while another plan still spools there', async () => {
    const [first, second] = [spooled(changesFrom(0, 3), 1), spooled(changesFrom(10, 3), 1)];
    first.release();
    expect(spoolDirectoryPath()).not.toBeNull();
    expect((await collectChanges(second)).map((c) => c.key)).toEqual(['k10', 'k11', 'k12']);
    second.release();
    expect(spoolDirectoryPath()).toBeNull();
  });

  it('moves a larger plan to an owner-only file, reads it back exactly as often as asked, and removes it on release', async () => {
    const before = spoolFiles();
    const changes = changesFrom(0, 2_500);
    const set = spooled(changes, 10);
    const [file, ...others] = spoolFiles().filter((f) => !before.includes(f));
    expect(others).toEqual([]);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(statSync(spoolDirectoryPath()!).mode & 0o777).toBe(0o700);

    expect(set.count).toBe(2_500);
    expect(await collectChanges(set)).toEqual(changes);
    expect(await collectChanges(set, 3)).toEqual(changes.slice(0, 3)); // stopping early, then reading again
    expect(await collectChanges(set)).toEqual(changes);

    set.release();
    expect(spoolFiles()).toEqual(before);
    expect(spoolDirectoryPath()).toBeNull(); // the directory goes with the last live file
    await expect(collectChanges(set)).rejects.toThrow(/released; plan again/);
  });

  it('removes, when it next spools, what a killed process of this host left; not what a live one or another host holds', async () => {
    expect(spoolDirectoryPath()).toBeNull(); // a new spool directory is made, so the sweep runs
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited by now
    const leftover = (pid: number, prefix = spoolDirectoryPrefix(pid)) => {
      const dir = join(tmpdir(), `${prefix}test${Math.random().toString(36).slice(2, 8)}`);
      mkdirSync(dir);
      writeFileSync(join(dir, `changes-${pid}-1.jsonl`), '{}\n');
      return dir;
    };
    const killed = leftover(dead);
    const live = leftover(process.ppid);
    const otherHost = leftover(dead, `ebb-plan-some_other_host-${dead}-`);
    try {
      const set = spooled(changesFrom(0, 20), 5);
      expect(basename(spoolDirectoryPath()!).startsWith(spoolDirectoryPrefix())).toBe(true);
      expect(existsSync(killed)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(otherHost)).toBe(true);
      set.release();
    } finally {
      for (const dir of [killed, live, otherHost]) rmSync(dir, { recursive: true, force: true });
    }
  });
});
