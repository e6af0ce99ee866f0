import { describe, expect, it } from 'vitest';
import { MIN_MASKED_LENGTH, sentValueForms } from '../../src/core/sent-value-forms.ts';

describe('sentValueForms', () => {
  it('gives a string as sent, trimmed, and as the body of a JSON string', () => {
    expect(sentValueForms(' say "hi" ')).toEqual([' say "hi" ', 'say "hi"', ' say \\"hi\\" ']);
  });

  it('gives non-ASCII text also as \\u escapes, as some APIs print it', () => {
    expect(sentValueForms('José')).toEqual(['José', 'Jos\\u00e9']);
  });

  it('gives numbers and booleans as text', () => {
    expect(sentValueForms(123456789)).toEqual(['123456789']);
    expect(sentValueForms(12.5)).toEqual(['12.5']);
    expect(sentValueForms(true)).toEqual(['true']);
  });

  it('gives a list as JSON, joined with ";" (HubSpot multi-select), and each member', () => {
    expect(sentValueForms(['alpha', 'beta'])).toEqual(['["alpha","beta"]', '[\\"alpha\\",\\"beta\\"]', 'alpha;beta', 'alpha', 'beta']);
  });

  it('gives an object as JSON and each value nested in it', () => {
    expect(sentValueForms({ ssn: '078-05-1120', tags: ['vip'] })).toEqual(
      expect.arrayContaining(['{"ssn":"078-05-1120","tags":["vip"]}', '078-05-1120', 'vip']),
    );
  });

  it(`leaves out null and forms shorter than ${MIN_MASKED_LENGTH} characters`, () => {
    expect(sentValueForms(null)).toEqual([]);
    expect(sentValueForms('NY')).toEqual([]);
    expect(sentValueForms(7)).toEqual([]);
    expect(sentValueForms(' ab ')).toEqual([' ab ']);
  });
});
