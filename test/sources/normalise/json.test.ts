import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import { InexactJsonNumber, inexactJsonNumberError, parseJsonExactly, type JsonAsText } from '../../../src/sources/normalise/json.ts';

function inexact(text: string): InexactJsonNumber {
  const result = parseJsonExactly(text);
  expect(result, text).toBeInstanceOf(InexactJsonNumber);
  return result as InexactJsonNumber;
}

describe('parseJsonExactly', () => {
  it('parses like JSON.parse whenever every number survives a double', () => {
    const documents = [
      '{"a": 1, "b": [true, null, "x"], "c": {"d": "é"}}',
      // 10.10 is the value 10.1; 2^53 − 1 and 2^53 (exactly representable) are held as they are.
      '{"amount": 10.10, "safe": 9007199254740991, "neg": -9007199254740991, "pow": 9007199254740992}',
      // Long digit runs inside strings, even after a colon or a bracket, are text.
      '{"id": "12345678901234567890", "note": "order: 12345678901234567890, [-12345678901234567890"}',
      '{"k\\"ey: 12345678901234567890": "\\\\", "x": [12.5]}',
      // Doubles as printers write them: shortest (Node, DuckDB, Postgres), 16 digits in exponent form
      // (Snowflake), 17 digits; numeric with trailing zeros; exponents inside a double's range.
      '[0.30000000000000004, 3.333333333333333e-01, 9.264447646584949e+9, 0.10000000000000001, 49.673373099924675]',
      '[0.12500000000000000000, 100000000000000000000, 1.5e300, 2.5e-300, 1E+300, 0e999, -0.0]',
      // Postgres jsonb prints 1.5e300 with all its digits.
      `[15${'0'.repeat(299)}]`,
      '12345',
      '"just a string with 12345678901234567890"',
      '{\n  "pretty": [\n    1.25,\n    2\n  ]\n}',
    ];
    for (const text of documents) expect(parseJsonExactly(text), text).toStrictEqual(JSON.parse(text));
  });

  it('returns the first literal a double would change, with its path and what it would become', () => {
    expect(inexact('{"order_id": 1234567890123456789}')).toMatchObject({ literal: '1234567890123456789', path: ['order_id'], rounded: '1234567890123456800' });
    expect(inexact('[1, 9007199254740993]')).toMatchObject({ literal: '9007199254740993', path: [1], rounded: '9007199254740992' });
    expect(inexact('{"ratio": 0.10000000000000000001}')).toMatchObject({ literal: '0.10000000000000000001', rounded: '0.1' });
    expect(inexact('{"x": 0.12345678901234567}')).toMatchObject({ rounded: '0.12345678901234566' });
    expect(inexact('{"big": 1e400}')).toMatchObject({ literal: '1e400', rounded: 'null' });
    expect(inexact('{"tiny": -1E-400}')).toMatchObject({ literal: '-1E-400', rounded: '0' });
    expect(inexact('[18446744073709551616]')).toMatchObject({ rounded: '18446744073709552000' });
    expect(inexact('12345678901234567890')).toMatchObject({ path: [], pathText: '$' });
    const nested = inexact('{"a": {"b c": [{"d": 1}, {"e\\"f": [0, -12345678901234567890]}]}}');
    expect(nested.path).toEqual(['a', 'b c', 1, 'e"f', 1]);
    expect(nested.pathText).toBe('$.a["b c"][1]["e\\"f"][1]');
    expect(inexact('{\n  "n": [\n    12345678901234567890\n  ]\n}').pathText).toBe('$.n[0]');
  });

  it('throws JSON.parse\'s error for text that is not JSON', () => {
    expect(() => parseJsonExactly('{"a": ')).toThrow(SyntaxError);
    expect(() => parseJsonExactly('[NaN, 12345678901234]')).toThrow(SyntaxError);
  });
});

describe('inexactJsonNumberError', () => {
  const asText: JsonAsText = {
    document: (column) => `${column}::text`,
    field: (column, found) => `${column}->>${JSON.stringify(found.path.at(-1))}`,
  };

  it('names the column, the literal, where it is, what it would become, and how to read it as text', () => {
    const found = inexact('{"order_id": 1234567890123456789}');
    const error = inexactJsonNumberError('meta', found, asText);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.code).toBe('SOURCE_INEXACT_NUMBER');
    expect(error.message).toBe(
      'column "meta" holds the JSON number 1234567890123456789 at $.order_id, which a JavaScript number cannot hold exactly: it would reach the destination as 1234567890123456800. The read stops rather than send a changed value.\n' +
        'Hint: have the query return it as text, so it arrives exactly, as a string: that field with meta->>"order_id", or the whole document with meta::text.',
    );
  });

  it('says where a JSON value inside a list or array column starts, and offers only the whole column', () => {
    const error = inexactJsonNumberError('docs', inexact('{"id": 12345678901234567890}'), asText, { nested: true });
    expect(error.message).toContain('column "docs" holds a JSON value with the number 12345678901234567890 at $.id, which');
    expect(error.message).toMatch(/as a string: the whole column with docs::text\.$/);
  });

  it('offers only the whole document when the value is the document itself', () => {
    const error = inexactJsonNumberError('n', inexact('12345678901234567890'), asText);
    expect(error.message).toContain('column "n" holds the JSON number 12345678901234567890, which');
    expect(error.message).toMatch(/as a string: the whole document with n::text\.$/);
  });
});
