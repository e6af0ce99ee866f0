import { randomUUID } from 'node:crypto';
import type { Diagnostic } from '../core/diagnostics.ts';
import { LockHeldError } from '../core/errors.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { Row } from '../core/values.ts';
import type { SnapshotStore, SyncState } from '../snapshot/store.ts';
import { isHolderDead, lockHolderId } from './lock-holder.ts';
import { keyOf } from './mapping.ts';

/** The lock a re-key takes; the store extends it as it goes, and a crashed re-key frees it by then. */
const REKEY_LOCK_TTL_MS = 120_000;

/**
 * Settles the sync's snapshot keys on how its destination compares them, before a plan reads it. A
 * snapshot written while keys were compared exactly holds "Ada@x.com" where the model now gives
 * "ada@x.com": re-keyed, the change plans as what it is (one record), not as a delete and a create.
 *
 * Usually one read, and `state` (the sync's, as the plan read it) stays the plan's base. A re-key
 * runs under the sync's apply lock, so no apply commits under keys being moved: the caller's own
 * (`lockHolder`, a scheduled cycle's), or one taken here for the duration. Keys the snapshot held
 * twice in different case were one record all along: that is worth a warning.
 */
export async function adoptKeyCase(
  sync: ResolvedSync,
  store: SnapshotStore,
  state: SyncState,
  lockHolder: string | undefined,
): Promise<{ state: SyncState; diagnostics: Diagnostic[] }> {
  const { matchIgnoresCase } = sync.destination;
  if ((await store.readKeysIgnoreCase(sync.name)) === matchIgnoresCase) return { state, diagnostics: [] };
  const holder = lockHolder ?? lockHolderId(`rekey-${randomUUID()}`);
  if (lockHolder === undefined) {
    const lock = await store.acquireLock({ sync: sync.name, holder, ttlMs: REKEY_LOCK_TTL_MS, holderIsDead: isHolderDead });
    if (!lock.acquired) {
      throw new LockHeldError(
        `the snapshot of "${sync.name}" must be re-keyed (its destination now matches keys ${matchIgnoresCase ? 'ignoring' : 'respecting'} case), ` +
          `but an apply holds the sync (${lock.holder}, until ${lock.expiresAt}). Plan again when it has finished.`,
      );
    }
  }
  try {
    const adoption = await store.rekeySnapshot(sync.name, { ignoreCase: matchIgnoresCase, keyInPayload: keyInPayloadOf(sync), lockHolder: holder });
    return { state: adoption.state, diagnostics: adoption.merged === 0 ? [] : [mergedWarning(sync, adoption.merged, adoption.mergedSamples)] };
  } finally {
    if (lockHolder === undefined) await store.releaseLock(sync.name, holder);
  }
}

/** The key as the model wrote it, from a delivered payload: any destination field mapped from the key column. */
function keyInPayloadOf(sync: ResolvedSync): (payloadJson: string) => string | null {
  const fields = sync.mapping.filter((m) => m.from === sync.key).map((m) => m.to);
  return (payloadJson) => {
    const payload = JSON.parse(payloadJson) as Row;
    for (const field of fields) {
      const key = keyOf(payload, field);
      if (key !== null) return key;
    }
    return null;
  };
}

function mergedWarning(sync: ResolvedSync, merged: number, samples: string[]): Diagnostic {
  const message =
    `${merged} key(s) were in the snapshot twice, differing only in case (kept / dropped: ${samples.join(', ')}), ` +
    `but the destination matches ${sync.destination.matchOn} ignoring case: each pair was one record, and the snapshot now holds it once, as last delivered. ` +
    'The next plan updates any record whose model row differs from that';
  return { severity: 'warning', code: 'KEYS_MERGED', sync: sync.name, file: sync.file, path: 'key', message };
}
