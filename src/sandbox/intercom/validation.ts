import { SandboxHttpError, type IntercomErrorItem } from './http.ts';
import type { AttributeModel, AttributeType } from './options.ts';
import type { IntercomStore } from './store.ts';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'email' | 'role';

export const CONTACT_FIELDS: Record<string, FieldKind> = {
  role: 'role',
  external_id: 'string',
  email: 'email',
  phone: 'string',
  name: 'string',
  avatar: 'string',
  owner_id: 'integer',
  signed_up_at: 'integer',
  last_seen_at: 'integer',
  unsubscribed_from_emails: 'boolean',
};

export const COMPANY_FIELDS: Record<string, FieldKind> = {
  company_id: 'string',
  name: 'string',
  plan: 'string',
  size: 'integer',
  website: 'string',
  industry: 'string',
  monthly_spend: 'number',
  remote_created_at: 'integer',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkField(field: string, kind: FieldKind, value: unknown): IntercomErrorItem | null {
  if (value === null) return kind === 'role' || kind === 'boolean' ? mismatch(field, kind) : null;
  switch (kind) {
    case 'role':
      return value === 'user' || value === 'lead' ? null : { code: 'parameter_invalid', message: 'role must be one of: user, lead', field };
    case 'email':
      if (typeof value !== 'string') return mismatch(field, 'string');
      return EMAIL.test(value) ? null : { code: 'parameter_invalid', message: 'email is not a valid email address', field };
    case 'string':
      return typeof value === 'string' ? null : mismatch(field, kind);
    case 'integer':
      return Number.isInteger(value) ? null : mismatch(field, kind);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : mismatch(field, kind);
    case 'boolean':
      return typeof value === 'boolean' ? null : mismatch(field, kind);
  }
}

function mismatch(field: string, expected: string): IntercomErrorItem {
  return { code: 'type_mismatch', message: `${field} must be a ${expected}`, field };
}

function checkCustomValue(name: string, type: AttributeType, value: unknown): IntercomErrorItem | null {
  if (value === null) return null;
  const field = `custom_attributes.${name}`;
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'float' && typeof value === 'number' && Number.isFinite(value)) ||
    ((type === 'integer' || type === 'date' || type === 'datetime') && Number.isInteger(value)) ||
    (type === 'boolean' && typeof value === 'boolean');
  return ok ? null : { code: 'type_mismatch', message: `Custom attribute '${name}' must be a ${type}`, field };
}

function checkCustomAttributes(store: IntercomStore, model: AttributeModel, value: unknown): IntercomErrorItem[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [mismatch('custom_attributes', 'object')];
  const errors: IntercomErrorItem[] = [];
  for (const [name, attributeValue] of Object.entries(value)) {
    const definition = store.attribute(model, name);
    if (definition === undefined) {
      errors.push({ code: 'parameter_invalid', message: `Custom attribute '${name}' does not exist`, field: `custom_attributes.${name}` });
      continue;
    }
    const problem = checkCustomValue(name, definition.data_type, attributeValue);
    if (problem !== null) errors.push(problem);
  }
  return errors;
}

function validate(store: IntercomStore, model: AttributeModel, fields: Record<string, FieldKind>, body: Record<string, unknown>): IntercomErrorItem[] {
  const errors: IntercomErrorItem[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (field === 'custom_attributes') {
      errors.push(...checkCustomAttributes(store, model, value));
      continue;
    }
    const kind = fields[field];
    if (kind === undefined) {
      errors.push({ code: 'parameter_invalid', message: `'${field}' is not a ${model} attribute; custom data goes in custom_attributes`, field });
      continue;
    }
    const problem = checkField(field, kind, value);
    if (problem !== null) errors.push(problem);
  }
  return errors;
}

/** Throws Intercom's 400 `error.list` listing every problem in a contact payload. */
export function validateContact(store: IntercomStore, body: Record<string, unknown>, creating: boolean): void {
  const errors = validate(store, 'contact', CONTACT_FIELDS, body);
  if (creating && errors.length === 0 && body.email == null && body.external_id == null) {
    errors.push({ code: 'parameter_not_found', message: 'A contact needs an email or an external_id' });
  }
  if (errors.length > 0) throw new SandboxHttpError(400, errors);
}

export function validateCompany(store: IntercomStore, body: Record<string, unknown>, creating: boolean): void {
  const errors = validate(store, 'company', COMPANY_FIELDS, body);
  if (creating && errors.length === 0 && (typeof body.company_id !== 'string' || body.company_id === '')) {
    errors.push({ code: 'parameter_not_found', message: 'company_id is required to create a company', field: 'company_id' });
  }
  if (errors.length > 0) throw new SandboxHttpError(400, errors);
}
