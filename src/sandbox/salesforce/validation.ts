import type { Row, Value } from '../../core/values.ts';
import type { SalesforceRecordError } from './knobs.ts';
import { findField, requiredOnCreate, type FieldSpec, type ObjectSpec } from './schema.ts';

/** Where the values came from: JSON keeps types; Bulk CSV sends strings, '' = leave alone, '#N/A' = clear. */
export type ValueSource = 'json' | 'csv';

export type Validated = { ok: true; changes: Row } | { ok: false; errors: SalesforceRecordError[] };

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

function error(statusCode: string, message: string, fields: string[] = []): SalesforceRecordError {
  return { statusCode, message, fields };
}

function typeError(field: FieldSpec, value: Value): SalesforceRecordError {
  return error('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`, [field.name]);
}

/** Coerces one value to the field's type, or explains why it cannot be stored. */
function coerce(field: FieldSpec, value: Value): { value: Value } | { error: SalesforceRecordError } {
  switch (field.type) {
    case 'int': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n) ? { value: n } : { error: typeError(field, value) };
    }
    case 'double':
    case 'currency': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { error: typeError(field, value) };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const text = String(value).toLowerCase();
      if (text === 'true' || text === '1') return { value: true };
      if (text === 'false' || text === '0') return { value: false };
      return { error: typeError(field, value) };
    }
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { value } : { error: typeError(field, value) };
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? { value: new Date(value).toISOString() } : { error: typeError(field, value) };
    default: {
      if (typeof value === 'object') return { error: typeError(field, JSON.stringify(value)) };
      const text = String(value);
      if (field.type === 'email' && !EMAIL.test(text)) {
        return { error: error('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]) };
      }
      if (text.length > field.length) {
        return { error: error('STRING_TOO_LONG', `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`, [field.name]) };
      }
      return { value: text };
    }
  }
}

/**
 * Checks one record's fields for a create or an update the way Salesforce does: unknown fields,
 * read-only fields, types, e-mail format, lengths and required fields.
 */
export function validateRecord(object: ObjectSpec, input: Row, action: 'create' | 'update', source: ValueSource): Validated {
  const errors: SalesforceRecordError[] = [];
  const changes: Row = {};
  for (const [name, raw] of Object.entries(input)) {
    if (source === 'csv' && raw === '') continue;
    const field = findField(object, name);
    if (!field) {
      errors.push(error('INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`));
      continue;
    }
    const writable = action === 'create' ? field.createable : field.updateable;
    if (!writable) {
      errors.push(error('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [field.name]));
      continue;
    }
    const value = source === 'csv' && raw === '#N/A' ? null : raw;
    if (value === null) {
      if (!field.nillable) errors.push(error('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]));
      else changes[field.name] = null;
      continue;
    }
    const coerced = coerce(field, value);
    if ('error' in coerced) errors.push(coerced.error);
    else changes[field.name] = coerced.value;
  }
  if (action === 'create') {
    const missing = requiredOnCreate(object).filter((f) => changes[f.name] === undefined && !errors.some((e) => e.fields.includes(f.name)));
    if (missing.length > 0) {
      const names = missing.map((f) => f.name);
      errors.push(error('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names));
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, changes };
}
