import type { Value } from '../../core/values.ts';

export type AttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'date';

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A normalised model value in the JSON type Intercom expects for an attribute. Warehouses hand
 * decimals over as strings ("12.50") and timestamps as ISO strings, while Intercom wants numbers and
 * epoch seconds. Values that cannot be converted are sent unchanged, so Intercom's own validation
 * error reaches the row's record rather than a guess of ours.
 */
export function coerceValue(type: AttributeType | undefined, value: Value): unknown {
  if (value === null || type === undefined) return value;
  switch (type) {
    case 'float':
      return typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
    case 'integer': {
      if (typeof value !== 'string' || !NUMERIC.test(value)) return value;
      const n = Number(value);
      // Past 2^53 a JS number is no longer the integer written: send the text, and let Intercom judge it.
      return Number.isSafeInteger(n) ? n : value;
    }
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? Math.floor(Date.parse(value) / 1000) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return typeof value === 'object' ? JSON.stringify(value) : value;
  }
}
