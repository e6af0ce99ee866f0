import type { RowError } from './errors.ts';
import { sentValueForms } from './sent-value-forms.ts';
import type { Row } from './values.ts';

/** What a sensitive value reads as wherever Ebb shows it: plans, JSON, row errors, logs. */
export const SENSITIVE_MASK = '(sensitive)';

/**
 * `text` with every occurrence of any of `forms` replaced by the mask, ignoring letter case (HubSpot,
 * for one, quotes back an e-mail lower-cased). Longer forms are tried first, so a JSON text is masked
 * whole rather than around the values inside it. One pass: a mask is never masked again.
 */
export function maskForms(text: string, forms: readonly string[]): string {
  const present = formsIn(text, forms);
  if (present.length === 0) return text;
  const pattern = [...present].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return text.replace(new RegExp(pattern, 'giu'), SENSITIVE_MASK);
}

/** The forms that occur in `text`, ignoring letter case. */
export function formsIn(text: string, forms: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return forms.filter((form) => lower.includes(form.toLowerCase()));
}

/** Every form of the sensitive fields' values in `rows` (null rows, as a create's `before`, are skipped). */
export function sensitiveFormsOf(rows: readonly (Row | null)[], sensitiveFields: ReadonlySet<string>): string[] {
  const forms = new Set<string>();
  for (const row of rows) {
    if (!row) continue;
    for (const field of sensitiveFields) {
      const value = row[field];
      if (value !== undefined) for (const form of sentValueForms(value)) forms.add(form);
    }
  }
  return [...forms];
}

/**
 * A destination's error for one row, with the row's sensitive values masked in its message. `sent` is
 * what was sent for the row, `previous` what the destination held before (it may quote either). When
 * the error is about a sensitive field whose value cannot be found in it, only its code and field are
 * kept (see sensitiveFieldToWithhold).
 */
export function maskRowError(error: RowError, sent: Row | null, previous: Row | null, sensitiveFields: ReadonlySet<string>): RowError {
  if (sensitiveFields.size === 0) return error;
  const withheld = sensitiveFieldToWithhold(error, sent, sensitiveFields);
  if (withheld !== undefined) return withholdMessage(error, withheld);
  const message = maskForms(error.message, sensitiveFormsOf([sent, previous], sensitiveFields));
  return message === error.message ? error : { ...error, message };
}

/**
 * The sensitive field an error names as the one at fault, when the value sent for it cannot be found
 * in the message. Masking cannot be trusted then: the destination may have quoted the value
 * reformatted (a number re-printed, a date re-parsed, a string cut short), or the value was too short
 * to search for, and nothing short of dropping the destination's text rules out that it is there.
 * Undefined when the message can be kept (masked).
 */
export function sensitiveFieldToWithhold(error: RowError, sent: Row | null, sensitiveFields: ReadonlySet<string>): string | undefined {
  if (error.field === undefined) return undefined;
  const field = sensitiveFieldNamed(error.field, sensitiveFields);
  const value = field === undefined ? null : (sent?.[field] ?? null);
  if (field === undefined || value === null) return undefined; // nothing was sent that could be quoted
  return formsIn(error.message, sentValueForms(value)).length === 0 ? field : undefined;
}

/** The error with the destination's text replaced by ours; code, field and retryability kept. */
export function withholdMessage(error: RowError, field: string): RowError {
  const message = `the destination's message is withheld: it is about sensitive field "${field}" and may quote its value. The code says what was refused; check that field's value in the model`;
  return { ...error, message };
}

/** Destinations may spell a field name in another case than the mapping (Salesforce API names). */
function sensitiveFieldNamed(name: string, sensitiveFields: ReadonlySet<string>): string | undefined {
  if (sensitiveFields.has(name)) return name;
  const lower = name.toLowerCase();
  for (const field of sensitiveFields) if (field.toLowerCase() === lower) return field;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
