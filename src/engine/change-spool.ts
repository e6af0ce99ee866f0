import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Change } from '../core/change.ts';
import { changeList, type ChangeSet } from '../core/change-set.ts';
import { LocalStorageError } from '../core/errors.ts';
import { spoolDirectoryPrefix, sweepAbandonedSpools } from './spool-sweep.ts';

/** Changes a spool keeps in memory before it moves them all to a file. */
export const CHANGES_IN_MEMORY = 5_000;

/**
 * Collects a plan's changes as the diff streams them. A few thousand stay in memory; past that they
 * all go to a temporary file, one JSON line each, so a plan of millions of creates (a first sync)
 * costs disk, not memory. The file is owner-only (it holds payloads) and removed on `release()`,
 * or when the process exits, or, if it was killed, by the next process that spools.
 */
export class ChangeSpool {
  private held: Change[] = [];
  private file: { path: string; fd: number } | null = null;
  private pending = '';
  private count = 0;

  constructor(private readonly inMemory = CHANGES_IN_MEMORY) {}

  add(change: Change): void {
    this.count += 1;
    if (!this.file) {
      this.held.push(change);
      if (this.held.length > this.inMemory) this.spill();
      return;
    }
    this.pending += `${JSON.stringify(change)}\n`;
    if (this.pending.length >= 1 << 16) this.flush();
  }

  finish(): ChangeSet {
    const count = this.count;
    if (!this.file) return changeList(this.held);
    this.flush();
    closeSync(this.file.fd);
    const { path } = this.file;
    let released = false;
    return {
      count,
      async *[Symbol.asyncIterator](): AsyncGenerator<Change> {
        if (released) throw new Error('these planned changes were released; plan again');
        const input = createReadStream(path);
        const lines = createInterface({ input, crlfDelay: Infinity });
        try {
          for await (const line of lines) if (line.length > 0) yield JSON.parse(line) as Change;
        } finally {
          // A reader that stops early (a preview of the first changes) must not leave the file open.
          lines.close();
          input.destroy();
        }
      },
      release: () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
        spoolFileReleased();
      },
    };
  }

  /** Drops the changes, writing nothing more: for a plan that failed, perhaps because the disk is full. */
  discard(): void {
    this.held = [];
    this.pending = '';
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.path, { force: true });
    this.file = null;
    spoolFileReleased();
  }

  private spill(): void {
    onDiskFailure(() => {
      const path = join(spoolDirectory(), `changes-${process.pid}-${(spoolSequence += 1)}.jsonl`);
      this.file = { path, fd: openSync(path, 'wx', 0o600) };
      liveFiles += 1;
    });
    for (const change of this.held) this.pending += `${JSON.stringify(change)}\n`;
    this.held = [];
    this.flush();
  }

  private flush(): void {
    if (this.pending.length > 0) onDiskFailure(() => writeSync(this.file!.fd, this.pending));
    this.pending = '';
  }
}

/**
 * Runs a file operation of the spool; a failure of the file system (ENOSPC, EACCES...) becomes a
 * LocalStorageError that says where the spool is and what to do.
 */
function onDiskFailure(work: () => void): void {
  try {
    work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('E')) throw error;
    throw new LocalStorageError(
      `could not write the plan's changes to ${directory ?? tmpdir()} (${(error as Error).message}). A plan keeps its changes on disk past ${CHANGES_IN_MEMORY.toLocaleString('en-US')}: free space there, or point TMPDIR at a larger disk, then plan again`,
      { cause: error },
    );
  }
}

let directory: string | null = null;
let spoolSequence = 0;
let liveFiles = 0;
let cleanupAtExit = false;

/** Where this process spools, while a spool file is alive (null otherwise). */
export function spoolDirectoryPath(): string | null {
  return directory;
}

/** Spool files this process has created so far: lets tests see that a plan did go through one. */
export function spoolFilesCreated(): number {
  return spoolSequence;
}

/**
 * One private directory (mode 0700) while spool files are alive, removed with the last one. Whatever
 * is left at a normal exit goes too; what a killed process left is removed by the next one to spool.
 */
function spoolDirectory(): string {
  if (directory) return directory;
  sweepAbandonedSpools(tmpdir());
  directory = mkdtempSync(join(tmpdir(), spoolDirectoryPrefix()));
  if (!cleanupAtExit) {
    cleanupAtExit = true;
    process.once('exit', () => {
      if (directory) rmSync(directory, { recursive: true, force: true });
    });
  }
  return directory;
}

function spoolFileReleased(): void {
  liveFiles -= 1;
  if (liveFiles === 0 && directory) {
    rmSync(directory, { recursive: true, force: true });
    directory = null;
  }
}
