import { fingerprint } from '../core/fingerprint.ts';
import type { ResolvedSync } from '../core/sync.ts';

export type DefinitionParts = Pick<ResolvedSync, 'source' | 'key' | 'destination' | 'mapping' | 'mode'>;

/**
 * Hash of what a plan means: the query, key, destination (with how it compares keys), mapping and mode. A plan computed under one
 * hash is refused after any of these changed. Schedule, SLA, delete guard, batch size and the
 * `sensitive` flag (which only masks rendering) leave it alone. The mapping is hashed as an object,
 * so the order fields are written in does not matter.
 */
export function definitionHashOf(parts: DefinitionParts): string {
  const mapping: Record<string, string> = {};
  for (const field of parts.mapping) mapping[field.to] = field.from;
  return fingerprint({
    source: { connection: parts.source.connection, query: parts.source.query },
    key: parts.key,
    destination: {
      connection: parts.destination.connection,
      object: parts.destination.object,
      matchOn: parts.destination.matchOn,
      // Only when set, so the hashes of syncs matching exactly stay what they were before it existed.
      ...(parts.destination.matchIgnoresCase ? { matchIgnoresCase: true } : {}),
    },
    mapping,
    mode: parts.mode,
  });
}
