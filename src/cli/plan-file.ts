import { chmodSync, closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { emptyTotals, type Change, type ChangeTotals } from '../core/change.ts';
import type { ChangeSet } from '../core/change-set.ts';
import { decodeChange, decodePlanHeader, encodeChange, encodePlanHeader, GZIP_ABOVE_CHANGES, PlanFileError, type PlanHeader } from '../core/plan-codec.ts';
import type { Plan } from '../core/plan.ts';

/**
 * Plan files hold the exact payloads to push (often personal data): owner-only permissions. Written
 * to a temporary name and renamed, so an interrupted save never leaves half a plan behind.
 */
export async function writePlanFile(path: string, plan: Plan): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  const cannotWrite = (error: unknown) => {
    const full = ['ENOSPC', 'EDQUOT'].includes((error as { code?: string }).code ?? '');
    return new PlanFileError(`cannot write the plan file ${path}: ${(error as Error).message}. ${full ? 'Free space on its disk, or choose' : 'Choose'} another path for --out`);
  };
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(partial, 'w', 0o600);
  } catch (error) {
    throw cannotWrite(error);
  }
  const file = createWriteStream('', { fd });
  const total = plan.syncs.reduce((sum, s) => sum + s.changes.count, 0);
  // The lines in chunks of 64 KB. `pipeline` keeps to the file's pace and, when a write fails (a full
  // disk), rejects and closes every stream: a bare 'drain' wait would hang on gzip for ever.
  async function* chunks(): AsyncGenerator<string> {
    let chunk = `${encodePlanHeader(plan)}\n`;
    for (const syncPlan of plan.syncs) {
      for await (const change of syncPlan.changes) {
        chunk += `${encodeChange(change)}\n`;
        if (chunk.length >= 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
    }
    yield chunk;
  }
  try {
    if (total > GZIP_ABOVE_CHANGES) await pipeline(chunks(), createGzip(), file);
    else await pipeline(chunks(), file);
    chmodSync(partial, 0o600); // umask may have narrowed the mode, never widened it; make it exact
    renameSync(partial, path);
  } catch (error) {
    file.destroy();
    rmSync(partial, { force: true });
    throw (error as { syscall?: string }).syscall ? cannotWrite(error) : error;
  }
}

/**
 * Reads a saved plan. Every line is checked now, streaming (so a damaged file is refused before
 * anything is sent); the changes themselves are read again from the file when rendered or applied.
 */
export async function readPlanFile(path: string): Promise<Plan> {
  if (!existsSync(path)) throw new PlanFileError(`there is no plan file at ${path}. Save one with \`ebb plan --out FILE\`, or run \`ebb apply\` without a file to plan and apply`);
  let header: PlanHeader | undefined;
  // What each sync's section holds, checked against its header: the executor trusts the totals.
  let found: ChangeTotals[] = [];
  let sectionEnds: number[] = [];
  let changeLines = 0;
  let sync = 0;
  for await (const text of planLines(path)) {
    if (!header) {
      header = decodePlanHeader(text);
      found = header.syncs.map(() => emptyTotals());
      let end = 0;
      sectionEnds = header.syncs.map((s) => (end += s.changeCount));
      continue;
    }
    const change = decodeChange(text, changeLines + 2);
    while (sync < sectionEnds.length - 1 && changeLines >= sectionEnds[sync]!) sync += 1;
    if (found[sync]) found[sync]![change.action] += 1;
    changeLines += 1;
  }
  if (!header) throw new PlanFileError('the plan file is empty. Re-run `ebb plan --out FILE`');
  const expected = sectionEnds.at(-1) ?? 0;
  if (changeLines !== expected) {
    throw new PlanFileError(`the plan file holds ${changeLines} change(s) where its header announces ${expected} (was it cut short or edited?). Re-run \`ebb plan --out FILE\``);
  }
  header.syncs.forEach((s, i) => {
    const totals = found[i]!;
    if (s.totals.create !== totals.create || s.totals.update !== totals.update || s.totals.delete !== totals.delete) {
      throw new PlanFileError(`the plan file's changes for "${s.sync}" do not match its totals (was it edited?). Re-run \`ebb plan --out FILE\``);
    }
  });
  // Line 1 is the header; a sync's section ends where the header's counts say.
  const syncs = header.syncs.map(({ changeCount, ...syncPlan }, i) => ({ ...syncPlan, changes: fileChangeSet(path, 2 + sectionEnds[i]! - changeCount, changeCount) }));
  return { ...header, syncs };
}

/** The `count` changes that start at 1-based line `firstLine` of a plan file. */
function fileChangeSet(path: string, firstLine: number, count: number): ChangeSet {
  return {
    count,
    async *[Symbol.asyncIterator](): AsyncGenerator<Change> {
      if (count === 0) return;
      let line = 0;
      let read = 0;
      for await (const text of planLines(path)) {
        line += 1;
        if (line < firstLine) continue;
        yield decodeChange(text, line);
        read += 1;
        if (read === count) return;
      }
      throw new PlanFileError(`the plan file ${path} ended before its last change (was it changed since it was read?). Re-run \`ebb plan --out FILE\``);
    },
    release() {},
  };
}

async function* planLines(path: string): AsyncGenerator<string> {
  const raw = createReadStream(path);
  raw.on('error', () => {}); // reported by the reads below
  let lines: ReturnType<typeof createInterface> | undefined;
  try {
    const input: Readable = isGzip(path) ? raw.pipe(createGunzip()) : raw;
    raw.on('error', (error) => input.destroy(error));
    lines = createInterface({ input, crlfDelay: Infinity });
    for await (const text of lines) if (text.length > 0) yield text;
  } catch (error) {
    const { code, syscall } = error as { code?: string; syscall?: string };
    if (code?.startsWith('Z_')) throw new PlanFileError('the plan file is corrupt (gzip data could not be read). Re-run `ebb plan --out FILE`');
    if (syscall) throw new PlanFileError(`cannot read the plan file ${path}: ${(error as Error).message}`);
    throw error;
  } finally {
    lines?.close();
    raw.destroy();
  }
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
