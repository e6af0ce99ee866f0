import type { JsonValue } from '../../core/values.ts';
import type { ZendeskKnobs } from './knobs.ts';
import type { ZendeskObject, ZendeskRecord, ZendeskStore } from './store.ts';
import { ROW_ERROR, validateRow } from './validation.ts';

/** One entry of a job's `results[]`, shaped like Zendesk's. */
export type JobResult = Record<string, JsonValue>;

/**
 * How a bulk row finds its record: create_or_update_many matches an existing one (users by external_id,
 * then email; organizations by external_id); create_many refuses one that exists; update_many takes
 * the record by its `id` and fails when there is none.
 */
export type WriteMode = 'create-or-update' | 'create' | 'update';

/**
 * Applies one row of a bulk job. Results of users/create_or_update_many follow the shape Zendesk
 * returns (community post 4408861015066, "Create or Update Many Users response specifications"):
 * successes carry id, status and the user's email, no external_id; failures carry error, details and
 * the row's position as `id`, no `index`. So a client must pair them by email or by position (results
 * keep request order). The organization jobs keep the sandbox's older shape (successes with
 * external_id, failures with index).
 */
export function writeRow(object: ZendeskObject, input: Record<string, JsonValue>, index: number, store: ZendeskStore, knobs: ZendeskKnobs, mode: WriteMode = 'create-or-update'): JobResult {
  const usersUpsert = object === 'users' && mode === 'create-or-update';
  const failed = (error: string, details: string): JobResult => (usersUpsert ? { id: index, error, details, status: 'Failed' } : { index, error, details, status: 'Failed' });
  const { id: requestedId, ...fields } = input;
  const externalId = fields.external_id;
  if (externalId !== undefined && externalId !== null && knobs.failExternalIds.includes(String(externalId))) {
    return failed(ROW_ERROR[object], `External: ${String(externalId)} was rejected by the sandbox (failExternalIds)`);
  }
  const existing = mode === 'update' ? (typeof requestedId === 'number' ? store.byId(object, requestedId) : undefined) : findExisting(object, fields, store);
  if (mode === 'update' && !existing) return { index, id: requestedId ?? null, error: 'RecordNotFound', details: `Not found: ${String(requestedId)}`, status: 'Failed' };
  if (mode === 'create' && existing) return failed('DuplicateValue', `External: ${String(externalId)} has already been taken`);
  if (!existing && (externalId === undefined || externalId === null) && (object === 'organizations' || fields.email === undefined || fields.email === null)) {
    return failed(ROW_ERROR[object], object === 'users' ? 'Either an email or an external_id is required' : 'External: an external_id or id is required');
  }
  const rejection = validateRow(object, fields, existing, store);
  if (rejection) return failed(rejection.error, rejection.details);

  const record = existing ?? store.create(object, fields);
  if (existing) store.update(object, existing, fields);
  const result: JobResult = { id: record.id, status: existing ? 'Updated' : 'Created' };
  if (!usersUpsert && record.external_id !== undefined && record.external_id !== null) result.external_id = record.external_id;
  if (object === 'users' && typeof record.email === 'string') result.email = record.email;
  return result;
}

/** The record a create-or-update row writes to: by external_id, then (users) by an email not owned by another external_id. */
export function findExisting(object: ZendeskObject, input: Record<string, JsonValue>, store: ZendeskStore): ZendeskRecord | undefined {
  const externalId = input.external_id;
  const existing = store.findBy(object, 'external_id', externalId);
  if (existing || object !== 'users') return existing;
  const byEmail = store.findBy('users', 'email', input.email);
  if (byEmail && (byEmail.external_id === undefined || byEmail.external_id === null || externalId === undefined || externalId === null)) return byEmail;
  return undefined;
}

/** Applies one destroy_many target (already resolved to a record id, or not found). */
export function destroyRow(object: ZendeskObject, target: { id: number | null; requested: string }, index: number, store: ZendeskStore): JobResult {
  const removed = target.id === null ? undefined : store.remove(object, target.id);
  if (!removed) return { index, id: target.id ?? target.requested, action: 'delete', success: false, status: 'Failed', error: 'RecordNotFound', details: `Not found: ${target.requested}` };
  return { id: removed.id, action: 'delete', success: true, status: 'Deleted' };
}
