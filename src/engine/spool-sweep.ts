import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The prefix of this process's spool directory: host and pid, so another process can tell whether
 * the owner is still alive. A plan stopped by Ctrl-C, SIGTERM or SIGKILL never runs its clean-up, and
 * its spool file can hold gigabytes (a first sync of millions of rows).
 */
export function spoolDirectoryPrefix(pid = process.pid): string {
  return `${hostPrefix()}${pid}-`;
}

/**
 * Removes the spool directories, under `parent`, of processes of this host that are gone. Only those
 * of this host: a pid means nothing on another machine sharing the directory. A live owner, or one
 * of another user (EPERM), keeps its directory; one that cannot be removed is left as it is.
 */
export function sweepAbandonedSpools(parent: string): void {
  const prefix = hostPrefix();
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(parent, entry), { recursive: true, force: true });
    } catch {
      // Not ours to remove (another user's directory): leave it.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `ebb-plan-<host>-`, the host name made safe for a file name (and free of `-`, which ends it). */
function hostPrefix(): string {
  return `ebb-plan-${hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host'}-`;
}
