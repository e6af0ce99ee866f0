import { createHash } from 'node:crypto';
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
  return createHash('sha1').update(canonical).digest('base64url');
}

export function fingerprint(value: JsonValue): string {
  return fingerprintOf(canonicalJson(value));
}
