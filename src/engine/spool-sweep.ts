import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The prefix of this process's spool directory: host and pid, so another process can tell whether
 * the owner is still alive. A plan stopped by Ctrl-C, SIGTERM or SIGKILL never runs its clean-up, and
 * its spool file can hold gigabytes (a first sync of millions of rows).
 */
export function spoolDirectoryPrefix(): string {
  return `ebb-plan-${hostTag()}-${process.pid}-`;
}

/**
 * Removes the spool directories, under `parent`, of processes of this host that are gone. Only those
 * of this host: a pid means nothing on another machine sharing the directory. A live owner, or one
 * of another user (EPERM), keeps its directory; one that cannot be removed is left as it is.
 */
export function sweepAbandonedSpools(parent: string): string[] {
  const pattern = new RegExp(`^ebb-plan-${escapeRegExp(hostTag())}-(\\d+)-`);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(parent, entry), { recursive: true, force: true });
      removed.push(entry);
    } catch {
      // Not ours to remove (another user's directory): leave it.
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The host name as it may appear in a file name. */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
