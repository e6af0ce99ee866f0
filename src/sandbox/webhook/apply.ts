import type { JsonValue } from '../../core/values.ts';
import type { WebhookKnobs } from './knobs.ts';
import type { ReceiverStore } from './store.ts';

export interface ReceivedChange {
  key: string;
  idempotencyKey: string;
  fields: Record<string, JsonValue>;
  changedFields: string[];
  remoteId: string | null;
}

export type ChangeResult = { key: string; status: 'ok'; id: string | null; duplicate?: true } | { key: string; status: 'failed'; code: string; error: string };

/** Checks the body shape; returns a message for a 400 when it is wrong. */
export function payloadProblem(body: unknown): string | null {
  const payload = body as { object?: unknown; operation?: unknown; changes?: unknown } | null;
  if (!payload || typeof payload !== 'object') return 'body must be a JSON object';
  if (typeof payload.object !== 'string' || payload.object === '') return '"object" must be a non-empty string';
  if (!['upsert', 'create', 'update', 'delete'].includes(String(payload.operation))) return '"operation" must be upsert, create, update or delete';
  if (!Array.isArray(payload.changes)) return '"changes" must be an array';
  for (const change of payload.changes as Record<string, unknown>[]) {
    if (!change || typeof change.key !== 'string' || typeof change.idempotencyKey !== 'string' || typeof change.fields !== 'object' || change.fields === null) {
      return 'every change needs a string "key", a string "idempotencyKey" and an object "fields"';
    }
  }
  return null;
}

/** Applies one change the way a careful receiver would: once per idempotency key, by record key. */
export function applyChange(store: ReceiverStore, object: string, operation: string, change: ReceivedChange, knobs: WebhookKnobs): ChangeResult {
  const { key } = change;
  const rejection = knobs.rejectKeys[key];
  if (rejection !== undefined) return { key, status: 'failed', code: 'REJECTED', error: rejection };
  const table = store.table(object);
  const existing = table.get(key);
  if (store.isDuplicate(object, key, change.idempotencyKey)) {
    store.stats.duplicates += 1;
    return { key, status: 'ok', id: existing?.id ?? change.remoteId, duplicate: true };
  }
  const missing = operation === 'delete' ? undefined : knobs.requiredFields.find((field) => change.fields[field] === undefined || change.fields[field] === null);
  if (missing !== undefined) return { key, status: 'failed', code: 'MISSING_FIELD', error: `"${missing}" is required` };
  if (operation === 'create' && existing) return { key, status: 'failed', code: 'ALREADY_EXISTS', error: `a ${object} record with key ${key} already exists (${existing.id})` };
  if (operation === 'update' && !existing) return { key, status: 'failed', code: 'NOT_FOUND', error: `no ${object} record with key ${key}` };
  store.markApplied(object, key, change.idempotencyKey);
  if (operation === 'delete') {
    table.delete(key);
    return { key, status: 'ok', id: existing?.id ?? change.remoteId };
  }
  const record = existing ?? store.create(object, key);
  record.fields = { ...change.fields };
  table.set(key, record);
  return { key, status: 'ok', id: record.id };
}
