import type { JsonValue } from '../../core/values.ts';
import type { ZendeskObject, ZendeskRecord, ZendeskStore } from './store.ts';

/** A row-level rejection inside a job, worded like Zendesk's `details`. */
export interface RowRejection {
  error: string;
  details: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const ROW_ERROR: Record<ZendeskObject, string> = { users: 'UserUpdateError', organizations: 'OrganizationUpdateError' };

/** Checks one create_or_update row against the account, given the record it would update (if any). */
export function validateRow(
  object: ZendeskObject,
  input: Record<string, JsonValue>,
  existing: ZendeskRecord | undefined,
  store: ZendeskStore,
): RowRejection | null {
  const reject = (details: string): RowRejection => ({ error: ROW_ERROR[object], details });
  const name = input.name;
  if (!existing && (typeof name !== 'string' || name.trim() === '')) return reject('Name: is too short (minimum one character)');
  if ('name' in input && (name === null || (typeof name === 'string' && name.trim() === ''))) return reject('Name: is too short (minimum one character)');
  if ('external_id' in input && input.external_id !== null && typeof input.external_id !== 'string' && typeof input.external_id !== 'number') {
    return reject('External: is invalid');
  }
  return object === 'users' ? validateUser(input, existing, store, reject) : validateOrganization(input, existing, store, reject);
}

function validateUser(
  input: Record<string, JsonValue>,
  existing: ZendeskRecord | undefined,
  store: ZendeskStore,
  reject: (details: string) => RowRejection,
): RowRejection | null {
  const email = input.email;
  if (email !== undefined && email !== null) {
    if (typeof email !== 'string' || !EMAIL.test(email)) return reject(`Email: ${String(email)} is not properly formatted`);
    const owner = store.findBy('users', 'email', email);
    if (owner && owner.id !== existing?.id) return reject(`Email: ${email} is already being used by another user`);
  }
  const organizationId = input.organization_id;
  if (organizationId !== undefined && organizationId !== null && !store.byId('organizations', Number(organizationId))) {
    return reject(`Organization: ${String(organizationId)} does not exist`);
  }
  return null;
}

function validateOrganization(
  input: Record<string, JsonValue>,
  existing: ZendeskRecord | undefined,
  store: ZendeskStore,
  reject: (details: string) => RowRejection,
): RowRejection | null {
  if (typeof input.name === 'string') {
    const owner = store.findBy('organizations', 'name', input.name);
    if (owner && owner.id !== existing?.id) return reject('Name: has already been taken');
  }
  const domains = input.domain_names;
  if (domains !== undefined && domains !== null) {
    if (!Array.isArray(domains) || domains.some((domain) => typeof domain !== 'string')) return reject('Domain names: must be a list of domain names');
  }
  return null;
}
