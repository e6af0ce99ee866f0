import { createHash } from 'node:crypto';
import { canonicalJson, fingerprint } from '../../core/fingerprint.ts';
import type { BatchItem, WriteOperation } from '../connector.ts';

/**
 * A change's idempotency key: a hash of what the change is (object, operation, row key and a
 * fingerprint of its fields), not of when it was sent. A re-send after a timeout therefore carries the
 * same key, and a receiver that remembers keys applies the change once.
 *
 * Because the key names the content, changing a row to X, then Y, then back to X produces X's key a
 * second time. Receivers should therefore dedupe against the last key applied to that record (what the
 * sandbox receiver does), not against every key ever seen.
 */
export function changeIdempotencyKey(object: string, operation: WriteOperation, item: BatchItem): string {
  const identity = canonicalJson({ object, operation, key: item.key, fields: fingerprint(item.fields) });
  return createHash('sha256').update(identity).digest('hex');
}

/** The batch's `Idempotency-Key`: stable for the same changes in the same order. */
export function batchIdempotencyKey(changeKeys: string[]): string {
  return createHash('sha256').update(changeKeys.join('\n')).digest('hex');
}
