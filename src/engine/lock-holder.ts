import { hostname } from 'node:os';

/** Lock holders name their host and process so a crashed apply's lock can be taken over at once. */
export function lockHolderId(runId: string): string {
  return `${hostname()}/${process.pid}/${runId}`;
}

/** True only when the holder ran on this host and its process is gone (e.g. killed with SIGKILL). */
export function isHolderDead(holder: string): boolean {
  const [host, pidText] = holder.split('/');
  if (host !== hostname() || !pidText) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
