import type { ApiContext, Reply } from './routes.ts';
import type { ZendeskObject } from './store.ts';
import { findExisting } from './upsert.ts';
import { validateRow } from './validation.ts';
import { isObject, recordView } from './views.ts';

/**
 * `POST /organizations/create_or_update` `{"organization":{…}}`: one record, matched by `id` or
 * `external_id`, answered at once (no job): 201 created, 200 updated, 422 RecordInvalid with the
 * offending attribute in `details`.
 */
export function createOrUpdateOne(object: ZendeskObject, body: unknown, ctx: ApiContext): Reply {
  const singular = object === 'users' ? 'user' : 'organization';
  const input = isObject(body) ? body[singular] : undefined;
  if (!isObject(input)) return { status: 400, body: { error: 'InvalidParameter', description: `Expected a JSON object with an "${singular}" object.` } };
  const { id, ...fields } = input;
  const existing = (typeof id === 'number' ? ctx.store.byId(object, id) : undefined) ?? findExisting(object, fields, ctx.store);
  const rejection =
    !existing && (fields.external_id === undefined || fields.external_id === null)
      ? { error: 'RecordInvalid', details: 'External: an external_id or id is required' }
      : validateRow(object, fields, existing, ctx.store);
  if (rejection) {
    // "Name: has already been taken" → details keyed by the attribute, as Zendesk words a RecordInvalid.
    const attribute = /^([A-Za-z][A-Za-z _]*):/.exec(rejection.details)?.[1]?.trim().toLowerCase().replace(/\s+/g, '_') ?? 'base';
    return { status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { [attribute]: [{ description: rejection.details, error: rejection.error }] } } };
  }
  const record = existing ?? ctx.store.create(object, fields);
  if (existing) ctx.store.update(object, existing, fields);
  return { status: existing ? 200 : 201, body: { [singular]: recordView(object, record, ctx.apiBase) } };
}
