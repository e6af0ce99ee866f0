import type { ObjectSchema } from './schema.ts';

/** One property problem, as HubSpot lists it in `errors[]` (and, JSON-encoded, in the top-level message). */
export interface PropertyProblem {
  name: string;
  code: string;
  message: string;
}

export interface ValidatedProperties {
  /** Values as HubSpot stores them: strings, e-mails lower-cased, dates canonical. */
  values: Record<string, string>;
  problems: PropertyProblem[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH_MS = /^-?\d{1,15}$/;
const DAY_MS = 86_400_000;

/** HubSpot accepts JSON scalars on the wire and stores everything as a string; null clears like "". */
function asWireString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function validateProperties(schema: ObjectSchema, input: unknown): ValidatedProperties {
  const values: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  const entries = typeof input === 'object' && input !== null ? Object.entries(input) : [];
  for (const [name, raw] of entries) {
    const value = asWireString(raw);
    const problem = checkValue(schema, name, value);
    if (problem !== null) problems.push({ name, ...problem });
    else values[name] = canonical(schema, name, value);
  }
  return { values, problems };
}

function checkValue(schema: ObjectSchema, name: string, value: string): { code: string; message: string } | null {
  const property = schema.properties.get(name);
  if (property === undefined) return { code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` };
  if (property.readOnly) return { code: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` };
  if (value === '') return null;
  switch (property.type) {
    case 'number':
      return NUMBER.test(value) ? null : { code: 'INVALID_INTEGER', message: `${value} was not a valid number.` };
    case 'bool':
    case 'enumeration': {
      const allowed = property.options?.map((option) => option.value) ?? (property.type === 'bool' ? ['true', 'false'] : []);
      const chosen = property.fieldType === 'checkbox' ? value.split(';') : [property.type === 'bool' ? value.toLowerCase() : value];
      const bad = chosen.find((choice) => !allowed.includes(choice));
      return bad === undefined ? null : { code: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]` };
    }
    case 'date':
      return toDate(value) !== null
        ? null
        : { code: 'INVALID_DATE', message: `${value} is not a valid date: use YYYY-MM-DD or epoch milliseconds at midnight UTC` };
    case 'datetime':
      return toDatetime(value) !== null
        ? null
        : { code: 'INVALID_DATE', message: `${value} is not a valid datetime: use ISO 8601 or epoch milliseconds` };
    default:
      if (schema.id === 'contacts' && name === 'email' && !EMAIL.test(value)) {
        return { code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` };
      }
      return null;
  }
}

function canonical(schema: ObjectSchema, name: string, value: string): string {
  if (value === '') return value;
  const type = schema.properties.get(name)?.type;
  if (type === 'bool') return value.toLowerCase();
  if (type === 'date') return toDate(value) ?? value;
  if (type === 'datetime') return toDatetime(value) ?? value;
  return schema.normalise(name, value);
}

function toDate(value: string): string | null {
  if (EPOCH_MS.test(value)) {
    const ms = Number(value);
    return ms % DAY_MS === 0 ? new Date(ms).toISOString().slice(0, 10) : null;
  }
  if (!DATE.test(value)) return null;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value ? null : value;
}

function toDatetime(value: string): string | null {
  const parsed = EPOCH_MS.test(value) ? new Date(Number(value)) : DATETIME.test(value) ? new Date(value) : null;
  return parsed === null || Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}
