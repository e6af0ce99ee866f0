import type { Intercom } from 'intercom-client';
import type { BatchItem, ItemResult, WriteOperation } from '../connector.ts';
import { errorItems, statusOf } from './errors.ts';
import { buildPayload } from './payload.ts';
import { idOf, notFoundRow, ok, type WriteContext } from './write-context.ts';

type Payload = Record<string, unknown>;

/**
 * The id in Intercom's 409 on create: "A contact matching those details already exists with id=<id>"
 * (Intercom-OpenAPI #543). Null when the message does not carry one.
 */
export function conflictingContactId(error: unknown): string | null {
  if (statusOf(error) !== 409) return null;
  for (const item of errorItems(error)) {
    const match = typeof item.message === 'string' ? /\bid=([A-Za-z0-9_-]+)/.exec(item.message) : null;
    if (match?.[1]) return match[1];
  }
  return null;
}

function externalIdOf(item: BatchItem): string {
  const value = item.fields.external_id;
  return value === undefined || value === null ? item.key : String(value);
}

/**
 * The body for one contact. The role from the connection options is sent only on create: an update
 * never flips an existing lead to a user (or back) unless the sync maps a `role` field.
 */
function payloadFor(ctx: WriteContext, item: BatchItem): { create: Payload; update: Payload } {
  const update = buildPayload('contacts', item.fields, ctx.schema);
  update.external_id = externalIdOf(item);
  return { create: { role: ctx.defaultRole, ...update }, update };
}

/** `POST /contacts/search` by external_id: works for users and leads (find_by_external_id serves users only). */
async function findByExternalId(ctx: WriteContext, externalId: string): Promise<string | null> {
  const found = await ctx.tracker.sendPage(() =>
    ctx.client.contacts.search({ query: { field: 'external_id', operator: '=', value: externalId }, pagination: { per_page: 1 } }),
  );
  return found[0]?.id ?? null;
}

async function update(ctx: WriteContext, id: string, payload: Payload): Promise<string> {
  return idOf(await ctx.tracker.send(() => ctx.client.contacts.update({ contact_id: id, ...payload } as Intercom.UpdateContactRequest)));
}

/** PUT by id; null when Intercom no longer has that contact (deleted outside Ebb). */
async function updateIfExists(ctx: WriteContext, id: string, payload: Payload): Promise<string | null> {
  try {
    return await update(ctx, id, payload);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * Create; on Intercom's 409 (the email or external_id already belongs to a contact — created outside
 * Ebb, or by our own earlier attempt that search cannot see yet) update that contact instead, but only
 * when it is not another record's: a contact holding a different external_id is another model row's,
 * and taking it over would overwrite that row's data with this one's (and a later delete of either
 * would delete both).
 */
async function createOrAdopt(ctx: WriteContext, payload: { create: Payload; update: Payload }): Promise<ItemResult> {
  try {
    return ok(idOf(await ctx.tracker.send(() => ctx.client.contacts.create(payload.create as Intercom.CreateContactRequest))));
  } catch (error) {
    const existing = conflictingContactId(error);
    if (existing === null) throw error;
    const holder = await externalIdHeldBy(ctx, existing);
    const ours = payload.update.external_id as string;
    if (holder !== null && holder !== ours) {
      return {
        status: 'failed',
        error: {
          code: 'CONFLICT',
          message: `Intercom already has this contact's email on contact ${existing}, which belongs to external_id "${holder}": Intercom keeps emails unique, so two records (external_id "${ours}" and "${holder}") share one email. Fix the duplicate email in the model (or map a different one), then re-run.`,
        },
      };
    }
    return ok(await update(ctx, existing, payload.update));
  }
}

/** The external_id a contact holds, or null when it has none (a lead, or one created without it). */
async function externalIdHeldBy(ctx: WriteContext, id: string): Promise<string | null> {
  const contact = await ctx.tracker.send(() => ctx.client.contacts.find({ contact_id: id }));
  const externalId = (contact as { external_id?: unknown }).external_id;
  return typeof externalId === 'string' && externalId !== '' ? externalId : null;
}

async function upsert(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const payload = payloadFor(ctx, item);
  if (item.remoteId !== null) {
    const updated = await updateIfExists(ctx, item.remoteId, payload.update);
    if (updated !== null) return ok(updated);
  }
  const found = await findByExternalId(ctx, externalIdOf(item));
  if (found !== null) return ok(await update(ctx, found, payload.update));
  return createOrAdopt(ctx, payload);
}

async function updateOnly(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const payload = payloadFor(ctx, item).update;
  const id = item.remoteId ?? (await findByExternalId(ctx, externalIdOf(item)));
  if (id === null) return notFoundRow(`No Intercom contact has external_id ${externalIdOf(item)}; an upsert would create it`);
  const updated = await updateIfExists(ctx, id, payload);
  return updated === null ? notFoundRow(`Intercom contact ${id} no longer exists (deleted outside Ebb?); an upsert would re-create it`) : ok(updated);
}

/** Deleting what is already gone succeeds: a re-sent delete batch must not fail. */
async function remove(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const id = item.remoteId ?? (await findByExternalId(ctx, externalIdOf(item)));
  if (id === null) return ok(null);
  try {
    await ctx.tracker.send(() => ctx.client.contacts.delete({ contact_id: id }));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  return ok(id);
}

export function writeContact(ctx: WriteContext, operation: WriteOperation, item: BatchItem): Promise<ItemResult> {
  switch (operation) {
    case 'upsert':
      return upsert(ctx, item);
    case 'create':
      return createOrAdopt(ctx, payloadFor(ctx, item));
    case 'update':
      return updateOnly(ctx, item);
    case 'delete':
      return remove(ctx, item);
  }
}
