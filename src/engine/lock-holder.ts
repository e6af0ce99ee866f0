import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Lock holders name their host, process and PID namespace so a crashed apply's lock can be taken over
 * at once: `host/pid:namespace/run`. The namespace matters because containers on one host (a pod's
 * containers, `docker run --network host`) share its hostname but not its process table: without it, a
 * live holder's pid looks free from the other container and its lock would be taken while it applies.
 */
export function lockHolderId(runId: string): string {
  const namespace = pidNamespace();
  return `${hostname()}/${process.pid}${namespace ? `:${namespace}` : ''}/${runId}`;
}

/**
 * True only when the holder ran on this host, in this PID namespace, and its process is gone (e.g.
 * killed with SIGKILL). Anything it cannot prove (another host or namespace, a holder written without
 * its namespace) is alive: the lock then frees itself when it expires.
 */
export function isHolderDead(holder: string): boolean {
  const [host, processText] = holder.split('/');
  if (host !== hostname() || !processText) return false;
  const [pidText, namespace] = processText.split(':');
  if ((namespace ?? null) !== pidNamespace()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

let namespaceOfThisProcess: string | null | undefined;

/** Linux names a PID namespace by the inode of /proc/self/ns/pid ("pid:[4026531836]"); elsewhere there are none. */
function pidNamespace(): string | null {
  if (namespaceOfThisProcess === undefined) {
    try {
      namespaceOfThisProcess = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? null;
    } catch {
      namespaceOfThisProcess = null;
    }
  }
  return namespaceOfThisProcess;
}
