import type { JsonValue } from '../../core/values.ts';
import type { ZendeskKnobs } from './knobs.ts';
import type { ZendeskObject, ZendeskStore } from './store.ts';
import { ROW_ERROR, validateRow } from './validation.ts';

/** One entry of a job's `results[]`, shaped like Zendesk's. */
export type JobResult = Record<string, JsonValue>;

/**
 * Applies a create_or_update_many row. Users match an existing record by external_id, then by email;
 * organizations by external_id. Results follow Zendesk's shapes: successes carry id, status and the
 * row's external_id/email; failures carry index, error and details.
 */
export function upsertRow(object: ZendeskObject, input: Record<string, JsonValue>, index: number, store: ZendeskStore, knobs: ZendeskKnobs): JobResult {
  const failed = (error: string, details: string): JobResult => ({ index, error, details, status: 'Failed' });
  const externalId = input.external_id;
  if (externalId !== undefined && externalId !== null && knobs.failExternalIds.includes(String(externalId))) {
    return failed(ROW_ERROR[object], `External: ${String(externalId)} was rejected by the sandbox (failExternalIds)`);
  }
  let existing = store.findBy(object, 'external_id', externalId);
  if (!existing && object === 'users') {
    const byEmail = store.findBy('users', 'email', input.email);
    // An email match only counts when it does not belong to a different external_id.
    if (byEmail && (byEmail.external_id === undefined || byEmail.external_id === null || externalId === undefined || externalId === null)) existing = byEmail;
  }
  if (!existing && (externalId === undefined || externalId === null) && (object === 'organizations' || input.email === undefined || input.email === null)) {
    return failed(ROW_ERROR[object], object === 'users' ? 'Either an email or an external_id is required' : 'External: an external_id or id is required');
  }
  const rejection = validateRow(object, input, existing, store);
  if (rejection) return failed(rejection.error, rejection.details);

  const record = existing ?? store.create(object, input);
  if (existing) store.update(object, existing, input);
  const result: JobResult = { id: record.id, status: existing ? 'Updated' : 'Created' };
  if (record.external_id !== undefined && record.external_id !== null) result.external_id = record.external_id;
  if (object === 'users' && typeof record.email === 'string') result.email = record.email;
  return result;
}

/** Applies one destroy_many target (already resolved to a record id, or not found). */
export function destroyRow(object: ZendeskObject, target: { id: number | null; requested: string }, index: number, store: ZendeskStore): JobResult {
  const removed = target.id === null ? undefined : store.remove(object, target.id);
  if (!removed) return { index, id: target.id ?? target.requested, action: 'delete', success: false, status: 'Failed', error: 'RecordNotFound', details: `Not found: ${target.requested}` };
  return { id: removed.id, action: 'delete', success: true, status: 'Deleted' };
}
