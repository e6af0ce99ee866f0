import type { Change } from './change.ts';

/**
 * A plan's changes for one sync, in plan order. It can be read as often as needed (render, save,
 * apply) and never has to fit in memory: a large plan's changes live in a spool file (engine) or in a
 * saved plan file (cli), and are streamed from there.
 */
export interface ChangeSet extends AsyncIterable<Change> {
  readonly count: number;
  /** Frees what holds the changes (a spool file); the set must not be read afterwards. */
  release(): void;
}

/** Changes held in memory: small plans, tests, and rows held back for a resend. */
export function changeList(changes: readonly Change[]): ChangeSet {
  return {
    count: changes.length,
    async *[Symbol.asyncIterator]() {
      yield* changes;
    },
    release() {},
  };
}

export async function collectChanges(changes: AsyncIterable<Change>, limit = Infinity): Promise<Change[]> {
  const collected: Change[] = [];
  if (limit <= 0) return collected;
  for await (const change of changes) {
    collected.push(change);
    if (collected.length >= limit) break;
  }
  return collected;
}

/** The same changes, each passed through `transform` as it is read (masking for display). */
export function mapChanges(changes: ChangeSet, transform: (change: Change) => Change): ChangeSet {
  return {
    count: changes.count,
    async *[Symbol.asyncIterator]() {
      for await (const change of changes) yield transform(change);
    },
    release: () => changes.release(),
  };
}
