import type { JsonValue } from '../../core/values.ts';
import { SandboxHttpError, notFound, nowSeconds } from './http.ts';
import { contactJson } from './render.ts';
import { param, rejectIfForced, type Route, type RouteContext } from './route.ts';
import { searchContacts } from './search.ts';
import type { SandboxState } from './state.ts';
import type { StoredContact } from './store.ts';
import { validateContact } from './validation.ts';

function conflict(existing: StoredContact): SandboxHttpError {
  return new SandboxHttpError(409, [{ code: 'conflict', message: `A contact matching those details already exists with id=${existing.id}` }]);
}

/** Intercom keeps external_id and email unique per workspace; a clash answers 409 naming the holder. */
function checkUnique(state: SandboxState, body: Record<string, unknown>, self: StoredContact | null): void {
  const byExternalId = typeof body.external_id === 'string' ? state.store.contactByExternalId(body.external_id) : undefined;
  if (byExternalId !== undefined && byExternalId !== self) throw conflict(byExternalId);
  const byEmail = typeof body.email === 'string' ? state.store.contactByEmail(body.email) : undefined;
  if (byEmail !== undefined && byEmail !== self) throw conflict(byEmail);
}

function applyFields(contact: StoredContact, body: Record<string, unknown>): void {
  const { custom_attributes: custom, ...standard } = body;
  Object.assign(contact, standard);
  if (custom !== undefined && custom !== null) Object.assign(contact.custom_attributes, custom as Record<string, JsonValue>);
  contact.updated_at = nowSeconds();
}

function existing(ctx: RouteContext): StoredContact {
  const contact = ctx.state.store.contacts.get(param(ctx, 0));
  if (contact === undefined) throw notFound('User Not Found');
  return contact;
}

async function create(ctx: RouteContext) {
  const body = await ctx.body();
  validateContact(ctx.state.store, body, true);
  rejectIfForced(ctx.state, [body.external_id, body.email]);
  checkUnique(ctx.state, body, null);
  const now = nowSeconds();
  const contact: StoredContact = {
    id: ctx.state.store.newId(),
    role: 'user',
    external_id: null,
    email: null,
    phone: null,
    name: null,
    avatar: null,
    owner_id: null,
    signed_up_at: null,
    last_seen_at: null,
    unsubscribed_from_emails: false,
    custom_attributes: {},
    created_at: now,
    updated_at: now,
    createdAtMs: Date.now(),
  };
  applyFields(contact, body);
  ctx.state.store.contacts.set(contact.id, contact);
  ctx.state.store.countCreate('contacts', contact.external_id ?? contact.email ?? contact.id);
  return { body: contactJson(contact) };
}

async function update(ctx: RouteContext) {
  const contact = existing(ctx);
  const body = await ctx.body();
  validateContact(ctx.state.store, body, false);
  rejectIfForced(ctx.state, [body.external_id ?? contact.external_id, body.email ?? contact.email]);
  checkUnique(ctx.state, body, contact);
  applyFields(contact, body);
  return { body: contactJson(contact) };
}

function remove(ctx: RouteContext) {
  const contact = existing(ctx);
  ctx.state.store.contacts.delete(contact.id);
  return { body: { id: contact.id, external_id: contact.external_id, type: 'contact', deleted: true } };
}

function findByExternalId(ctx: RouteContext) {
  const contact = ctx.state.store.contactByExternalId(param(ctx, 0));
  // Intercom's endpoint serves users only; leads are found by search.
  if (contact === undefined || contact.role !== 'user') throw notFound('User Not Found');
  return { body: contactJson(contact) };
}

async function search(ctx: RouteContext) {
  return { body: searchContacts(ctx.state, await ctx.body()) };
}

export const contactRoutes: Route[] = [
  { method: 'POST', pattern: /^\/contacts\/search$/, label: 'POST /contacts/search', handle: search },
  { method: 'GET', pattern: /^\/contacts\/find_by_external_id\/([^/]+)$/, label: 'GET /contacts/find_by_external_id/{external_id}', handle: findByExternalId },
  { method: 'POST', pattern: /^\/contacts$/, label: 'POST /contacts', handle: create },
  { method: 'GET', pattern: /^\/contacts\/([^/]+)$/, label: 'GET /contacts/{id}', handle: (ctx) => ({ body: contactJson(existing(ctx)) }) },
  { method: 'PUT', pattern: /^\/contacts\/([^/]+)$/, label: 'PUT /contacts/{id}', handle: update },
  { method: 'DELETE', pattern: /^\/contacts\/([^/]+)$/, label: 'DELETE /contacts/{id}', handle: remove },
];
