import { TerminalError } from '../../core/errors.ts';
import type { Row } from '../../core/values.ts';
import { coerceValue, type AttributeType } from './coerce.ts';
import type { ModelSchema } from './schema.ts';

export type IntercomObject = 'contacts' | 'companies';

/**
 * Writable standard attributes. Anything else a sync maps must be a custom data attribute, named
 * `custom_attributes.<name>` in the mapping (e.g. `'custom_attributes.plan': 'plan'`); those are sent
 * inside Intercom's `custom_attributes` object and must exist as data attributes in the workspace.
 */
export const STANDARD_FIELDS: Record<IntercomObject, Record<string, AttributeType>> = {
  contacts: {
    role: 'string',
    external_id: 'string',
    email: 'string',
    phone: 'string',
    name: 'string',
    avatar: 'string',
    owner_id: 'integer',
    signed_up_at: 'date',
    last_seen_at: 'date',
    unsubscribed_from_emails: 'boolean',
  },
  companies: {
    company_id: 'string',
    name: 'string',
    plan: 'string',
    size: 'integer',
    website: 'string',
    industry: 'string',
    monthly_spend: 'float',
    remote_created_at: 'date',
  },
};

export const CUSTOM_PREFIX = 'custom_attributes.';

/** Refuses, before any request, a mapping that names fields Intercom does not have. */
export function checkFieldNames(object: IntercomObject, items: Array<{ fields: Row }>): void {
  const standard = STANDARD_FIELDS[object];
  const unknown = new Set<string>();
  for (const item of items) {
    for (const field of Object.keys(item.fields)) {
      const custom = field.startsWith(CUSTOM_PREFIX) && field.length > CUSTOM_PREFIX.length;
      if (!custom && standard[field] === undefined) unknown.add(field);
    }
  }
  if (unknown.size === 0) return;
  const names = [...unknown];
  throw new TerminalError(
    `Intercom ${object} have no attribute ${names.map((n) => `'${n}'`).join(', ')}. Map custom data as ` +
      `${names.map((n) => `'${CUSTOM_PREFIX}${n}'`).join(', ')} (the data attribute must exist in Intercom), ` +
      `or use one of: ${Object.keys(standard).join(', ')}.`,
    { code: 'UNKNOWN_FIELD' },
  );
}

/** The request body for one record: standard fields at the top, custom ones under `custom_attributes`. */
export function buildPayload(object: IntercomObject, fields: Row, schema: ModelSchema): Record<string, unknown> {
  const standard = STANDARD_FIELDS[object];
  const payload: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith(CUSTOM_PREFIX)) {
      const name = field.slice(CUSTOM_PREFIX.length);
      custom[name] = coerceValue(schema.customType(name), value);
    } else {
      payload[field] = coerceValue(standard[field], value);
    }
  }
  if (Object.keys(custom).length > 0) payload.custom_attributes = custom;
  return payload;
}
