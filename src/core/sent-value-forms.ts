import type { Value } from './values.ts';

/**
 * Texts shorter than this are never searched for. A one- or two-character value ("7", "NY", "no")
 * turns up by chance in almost any message — in counts, limits, codes, ordinary words — so masking
 * it would garble what the destination said while hiding next to nothing. When a destination names a
 * sensitive field as the one at fault and its value is too short to find, the message is withheld
 * instead (see maskRowError), which covers the case where such a value is most likely quoted.
 */
export const MIN_MASKED_LENGTH = 3;

/**
 * The texts a sent value can appear as in a destination's error message: the value as sent (strings
 * as they are, numbers and booleans as text, JSON values as their JSON text), trimmed, as the body of
 * a JSON string (quotes and backslashes escaped), with non-ASCII as \u escapes, a list joined with ';'
 * (HubSpot's multi-select form), and every value nested in a list or object. Forms shorter than
 * MIN_MASKED_LENGTH are left out. Letter case is not varied here: matching ignores it.
 */
export function sentValueForms(value: Value): string[] {
  const forms = new Set<string>();
  collectForms(value, forms);
  return [...forms].filter((form) => form.length >= MIN_MASKED_LENGTH);
}

function collectForms(value: Value, forms: Set<string>): void {
  if (value === null) return;
  if (typeof value === 'string') {
    addStringForms(value, forms);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    forms.add(String(value));
    return;
  }
  addStringForms(JSON.stringify(value), forms);
  const members = Array.isArray(value) ? value : Object.values(value);
  if (Array.isArray(value) && value.every((member) => member === null || typeof member !== 'object')) {
    forms.add(value.map((member) => (member === null ? '' : String(member))).join(';'));
  }
  for (const member of members) collectForms(member, forms);
}

function addStringForms(text: string, forms: Set<string>): void {
  forms.add(text);
  forms.add(text.trim());
  const jsonBody = JSON.stringify(text).slice(1, -1);
  forms.add(jsonBody);
  forms.add(jsonBody.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
