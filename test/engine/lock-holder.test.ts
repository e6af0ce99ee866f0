import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isHolderDead, lockHolderId } from '../../src/engine/lock-holder.ts';

/** The pid of a process that has already exited, so `kill(pid, 0)` finds nothing. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const namespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1]!;

describe('lock holders', () => {
  it('name host, pid and PID namespace', () => {
    expect(lockHolderId('run-1')).toBe(`${hostname()}/${process.pid}:${namespace}/run-1`);
  });

  it('are dead only when their process is gone from this host and this PID namespace', () => {
    const pid = exitedPid();
    expect(isHolderDead(`${hostname()}/${pid}:${namespace}/run-1`)).toBe(true);
    expect(isHolderDead(lockHolderId('me'))).toBe(false);
    // The same host name in another container: its pid says nothing about this process table.
    expect(isHolderDead(`${hostname()}/${pid}:1/run-1`)).toBe(false);
    // Written without a namespace (an older Ebb): not provably dead, so it waits for the lock's expiry.
    expect(isHolderDead(`${hostname()}/${pid}/run-1`)).toBe(false);
    expect(isHolderDead(`elsewhere/${pid}:${namespace}/run-1`)).toBe(false);
  });
});
