import { TerminalError } from '../../core/errors.ts';

export type ZendeskObjectName = 'users' | 'organizations';

/** Where each object keeps its custom fields, and the prefix a destination field uses to reach one. */
export const CUSTOM_FIELDS: Record<ZendeskObjectName, string> = { users: 'user_fields', organizations: 'organization_fields' };

/** Standard attributes (what `describe` lists besides the custom fields). */
export const STANDARD_ATTRIBUTES: Record<ZendeskObjectName, { name: string; type: string }[]> = {
  users: [
    { name: 'external_id', type: 'string' }, { name: 'email', type: 'string' }, { name: 'name', type: 'string' },
    { name: 'phone', type: 'string' }, { name: 'organization_id', type: 'integer' }, { name: 'role', type: 'string' },
    { name: 'tags', type: 'array' }, { name: 'notes', type: 'string' }, { name: 'details', type: 'string' },
    { name: 'alias', type: 'string' }, { name: 'locale', type: 'string' }, { name: 'time_zone', type: 'string' },
    { name: 'verified', type: 'boolean' }, { name: 'suspended', type: 'boolean' }, { name: 'signature', type: 'string' },
  ],
  organizations: [
    { name: 'external_id', type: 'string' }, { name: 'name', type: 'string' }, { name: 'domain_names', type: 'array' },
    { name: 'details', type: 'string' }, { name: 'notes', type: 'string' }, { name: 'tags', type: 'array' },
    { name: 'group_id', type: 'integer' }, { name: 'shared_tickets', type: 'boolean' }, { name: 'shared_comments', type: 'boolean' },
  ],
};

export function zendeskObject(object: string): ZendeskObjectName {
  if (object === 'users' || object === 'organizations') return object;
  throw new TerminalError(`Zendesk object "${object}" is not supported; use "users" or "organizations".`, { code: 'UNKNOWN_OBJECT' });
}
