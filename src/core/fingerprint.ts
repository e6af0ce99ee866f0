import { createHash, hash } from 'node:crypto';
import type { JsonValue } from './values.ts';

/**
 * JSON with object keys sorted at every depth, so two payloads with the same content always
 * serialise the same way whatever order their columns arrived in.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Hash of a payload's canonical JSON: equal fingerprints mean the destination needs no change. */
export function fingerprintOf(canonical: string): string {
  // sha1 is plenty against accidental collisions (this is change detection, not security) and is
  // markedly faster than sha256 on the millions of rows a plan hashes.
  return oneShotHash ? oneShotHash('sha1', canonical, 'base64url') : createHash('sha1').update(canonical).digest('base64url');
}

// crypto.hash (Node ≥ 20.12) skips allocating a Hash object per row: a large share of plan time.
const oneShotHash = typeof hash === 'function' ? hash : null;

export function fingerprint(value: JsonValue): string {
  return fingerprintOf(canonicalJson(value));
}
