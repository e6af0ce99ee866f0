import { describe, expect, it } from 'vitest';
import type { RowError } from '../../src/core/errors.ts';
import { SENSITIVE_MASK, maskForms, maskRowError, sensitiveFormsOf } from '../../src/core/mask-sent-values.ts';

const SENSITIVE = new Set(['ssn', 'num_employees_custom']);

describe('maskForms', () => {
  it('replaces every occurrence, ignoring letter case', () => {
    expect(maskForms('Email Jane.Secret@X.com is taken; jane.secret@x.com exists', ['jane.secret@x.com'])).toBe(
      `Email ${SENSITIVE_MASK} is taken; ${SENSITIVE_MASK} exists`,
    );
  });

  it('masks the longest form whole, and treats regular-expression characters literally', () => {
    expect(maskForms('bad value ["a.b","c+d"]', ['a.b', 'c+d', '["a.b","c+d"]'])).toBe(`bad value ${SENSITIVE_MASK}`);
    expect(maskForms('axb is fine', ['a.b'])).toBe('axb is fine');
  });

  it('masks in one pass: a value that reads like the mask does not mask the mask again', () => {
    expect(maskForms('sensitive, sensitive', ['sensitive'])).toBe(`${SENSITIVE_MASK}, ${SENSITIVE_MASK}`);
  });

  it('returns the text itself when nothing is found', () => {
    const text = 'nothing to see';
    expect(maskForms(text, ['secret'])).toBe(text);
  });
});

describe('sensitiveFormsOf', () => {
  it('takes only the sensitive fields of the rows given, skipping null rows and null values', () => {
    expect(sensitiveFormsOf([{ ssn: '078-05-1120', email: 'a@x.com', num_employees_custom: null }, null], SENSITIVE)).toEqual(['078-05-1120']);
  });
});

describe('maskRowError', () => {
  const sent = { email: 'b@x.com', num_employees_custom: 'SECRET-123-45-6789', ssn: '078-05-1120' };

  it("masks the row's sensitive values in the destination's message and keeps the rest", () => {
    const error: RowError = { code: 'INVALID_INTEGER', field: 'num_employees_custom', message: 'SECRET-123-45-6789 was not a valid number.', retryable: false };
    expect(maskRowError(error, sent, null, SENSITIVE)).toEqual({ ...error, message: `${SENSITIVE_MASK} was not a valid number.` });
  });

  it('masks a value the message quotes for another field, and the value the destination held before', () => {
    const error: RowError = { code: 'DUPLICATE', message: 'record with ssn 078-05-1120 (was 111-22-3333) exists' };
    const masked = maskRowError(error, sent, { ssn: '111-22-3333' }, SENSITIVE);
    expect(masked.message).toBe(`record with ssn ${SENSITIVE_MASK} (was ${SENSITIVE_MASK}) exists`);
  });

  it('masks the value in the forms it goes over the wire: number as text, JSON-escaped', () => {
    const error: RowError = { code: 'STRING_TOO_LONG', message: 'data value too large: {"note":"say \\"hi\\" to 5551234"} and 98765' };
    const masked = maskRowError(error, { ssn: 'say "hi" to 5551234', num_employees_custom: 98765 }, null, SENSITIVE);
    expect(masked.message).toBe(`data value too large: {"note":"${SENSITIVE_MASK}"} and ${SENSITIVE_MASK}`);
  });

  it('withholds the message when it is about a sensitive field whose value it does not show as sent', () => {
    // HubSpot re-prints a number, so the value as sent is not there to be masked.
    const error: RowError = { code: 'INVALID_INTEGER', field: 'num_employees_custom', message: '1000000000000000000000 was not a valid number.', retryable: true };
    const masked = maskRowError(error, { num_employees_custom: '1e21' }, null, SENSITIVE);
    expect(masked).toMatchObject({ code: 'INVALID_INTEGER', field: 'num_employees_custom', retryable: true });
    expect(masked.message).not.toContain('1000000000000000000000');
    expect(masked.message).toContain('withheld');
  });

  it('withholds the message for a value too short to search for, rather than garbling it', () => {
    const error: RowError = { code: 'INVALID_INTEGER', field: 'NUM_EMPLOYEES_CUSTOM', message: '-7 was not a valid number.' };
    expect(maskRowError(error, { num_employees_custom: '-7' }, null, SENSITIVE).message).not.toContain('-7');
  });

  it('keeps the message of a sensitive field that was cleared (nothing sent to quote)', () => {
    const error: RowError = { code: 'REQUIRED', field: 'ssn', message: 'ssn is required' };
    expect(maskRowError(error, { ssn: null }, null, SENSITIVE)).toBe(error);
  });

  it('leaves errors alone when nothing is sensitive or nothing sensitive is quoted', () => {
    const error: RowError = { code: 'INVALID_EMAIL', field: 'email', message: 'Email address b@x.com is invalid' };
    expect(maskRowError(error, sent, null, new Set())).toBe(error);
    expect(maskRowError(error, sent, null, SENSITIVE)).toBe(error);
  });
});
