import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LocalStorageError } from '../../core/errors.ts';

/**
 * SQLite's result codes (and the file system's, from creating the snapshot's directory) that say the
 * file or its disk failed, not the query, with what to do about each. Extended codes
 * (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...) match by their prefix.
 */
const STORAGE_FAILURES: [prefix: string, problem: string, remedy: string | null][] = [
  // null: free space, where depends on the files involved (see asStorageFailure).
  ['SQLITE_FULL', 'the disk is full', null],
  ['SQLITE_IOERR', 'the disk reported an I/O error', 'Check the disk, then run again'],
  ['SQLITE_READONLY', 'the file is read-only', 'Make the snapshot file and its directory writable by this user, then run again'],
  ['SQLITE_CANTOPEN', 'the file cannot be opened', 'Check that the snapshot path is in a writable directory, then run again'],
  ['SQLITE_CORRUPT', 'the file is damaged', 'Restore the snapshot from a backup, or start over with `ebb reset` for each sync'],
  ['SQLITE_NOTADB', 'the file is not an Ebb snapshot', 'Point `snapshot.path` at a snapshot file, or at a new path'],
  ['ENOSPC', 'the disk is full', null],
  ['EDQUOT', 'the disk quota is used up', null],
  ['EROFS', 'the file system is read-only', 'Point `snapshot.path` at a writable disk'],
  ['EACCES', 'permission denied', 'Make the snapshot path writable by this user, or point `snapshot.path` elsewhere'],
];

/**
 * The error to throw for `error`, raised while `doing` something with the snapshot at `path`: a
 * LocalStorageError that names the files and what to do when SQLite says the disk or the file failed;
 * `error` itself otherwise (a stale plan, a bug). `temporaryFiles`: the work also writes SQLite's
 * temporary files (a plan's staging), which live elsewhere and fill a disk the same way.
 */
export function asStorageFailure(error: unknown, path: string, doing: string, temporaryFiles = false): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const failure = STORAGE_FAILURES.find(([prefix]) => code.startsWith(prefix));
  if (failure === undefined) return error;
  const [, problem, remedy] = failure;
  const space = remedy === null; // a full disk: say how much room is left where
  const where = [
    path === ':memory:' ? 'The snapshot is in memory' : `The snapshot is ${resolve(path)}${space ? freeSpace(dirname(resolve(path))) : ''}`,
    ...(temporaryFiles ? ["the plan's staging is in SQLite's temporary files, in $SQLITE_TMPDIR, else $TMPDIR, else /var/tmp"] : []),
  ].join('; ');
  const freeUp = temporaryFiles ? 'Free space there, or point TMPDIR at a larger disk, and run again' : 'Free space on that disk and run again';
  return new LocalStorageError(`could not ${doing}: ${problem} (${code}). ${where}. ${remedy ?? freeUp}`, { cause: error, code: 'LOCAL_STORAGE' });
}

/** Runs `work`, turning storage failures into LocalStorageErrors (see asStorageFailure), thrown or rejected. */
export function guardStorage<T>(path: string, doing: string, work: () => T, temporaryFiles = false): T {
  const translate = (error: unknown): never => {
    throw asStorageFailure(error, path, doing, temporaryFiles);
  };
  try {
    const result = work();
    return (result instanceof Promise ? result.catch(translate) : result) as T;
  } catch (error) {
    return translate(error);
  }
}

function freeSpace(directory: string): string {
  try {
    const stats = statfsSync(directory);
    return ` (${formatBytes(stats.bavail * stats.bsize)} free on its disk)`;
  } catch {
    return ''; // the directory may be what failed; the message stands without the figure
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1 << 20) return `${Math.floor(bytes / 1024)} KB`;
  if (bytes < 1 << 30) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${(bytes / (1 << 30)).toFixed(1)} GB`;
}
