import type { Diagnostic } from '../core/diagnostics.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { Row } from '../core/values.ts';
import type { SnapshotStore, SyncState } from '../snapshot/store.ts';
import { keyOf } from './mapping.ts';

/**
 * Settles the sync's snapshot keys on how its destination compares them, before a plan reads it. A
 * snapshot written while keys were compared exactly holds "Ada@x.com" where the model now gives
 * "ada@x.com": re-keyed, the change plans as what it is (one record), not as a delete and a create.
 * Keys the snapshot held twice in different case were one record all along: that is worth a warning.
 */
export async function adoptKeyCase(
  sync: ResolvedSync,
  store: SnapshotStore,
  lockHolder: string | undefined,
): Promise<{ state: SyncState; diagnostics: Diagnostic[] }> {
  const { matchOn, matchIgnoresCase } = sync.destination;
  const adoption = await store.adoptKeyCase(sync.name, {
    ignoreCase: matchIgnoresCase,
    ...(lockHolder === undefined ? {} : { lockHolder }),
    // Going back to exact keys: the payload's matchOn field holds the key as the model wrote it.
    keyInPayload: (payloadJson) => keyOf(JSON.parse(payloadJson) as Row, matchOn),
  });
  if (adoption.merged === 0) return { state: adoption.state, diagnostics: [] };
  const message =
    `${adoption.merged} key(s) were in the snapshot twice, differing only in case (e.g. ${adoption.mergedSamples.join(', ')}), ` +
    `but the destination matches ${matchOn} ignoring case: each pair was one record, and the snapshot now holds it once, as last delivered. ` +
    'The next plan updates any record whose model row differs from that';
  return { state: adoption.state, diagnostics: [{ severity: 'warning', code: 'KEYS_MERGED', sync: sync.name, file: sync.file, path: 'key', message }] };
}
