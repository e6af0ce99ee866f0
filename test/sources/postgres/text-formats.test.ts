import { describe, expect, it } from 'vitest';
import { parseArrayLiteral } from '../../../src/sources/postgres/array-literal.ts';
import { dateFromText, timeFromText, timestampFromText, timestamptzFromText } from '../../../src/sources/postgres/temporal-text.ts';

/**
 * Text shapes the session's settings (TimeZone UTC, DateStyle ISO) make rare but that a server can
 * still print: offsets other than +00 (historical zones carry seconds), and odd array literals.
 */
describe('postgres text formats', () => {
  it('converts any timestamptz offset to UTC, including minutes, seconds and BC years', () => {
    expect(timestamptzFromText('2024-03-10 12:34:56.789+05:30')).toBe('2024-03-10T07:04:56.789Z');
    expect(timestamptzFromText('1999-12-31 23:59:59.5-08')).toBe('2000-01-01T07:59:59.500Z');
    // Amsterdam before 1937 was UTC+00:19:32.
    expect(timestamptzFromText('1900-01-01 00:00:00+00:19:32')).toBe('1899-12-31T23:40:28.000Z');
    expect(timestamptzFromText('0044-03-15 12:00:00+00 BC')).toBe('-000043-03-15T12:00:00.000Z');
    expect(timestamptzFromText('2024-03-10 12:34:56+00')).toBe('2024-03-10T12:34:56.000Z');
    expect(timestamptzFromText('-infinity')).toBe('-infinity');
  });

  it('truncates sub-millisecond digits rather than rounding', () => {
    expect(timestampFromText('1999-12-31 23:59:59.999999')).toBe('1999-12-31T23:59:59.999Z');
    expect(timestampFromText('2024-01-01 00:00:00.0005')).toBe('2024-01-01T00:00:00.000Z');
    expect(timestampFromText('2024-01-01 00:00:00.1')).toBe('2024-01-01T00:00:00.100Z');
    expect(timestamptzFromText('2024-01-01 00:00:00.123999+00')).toBe('2024-01-01T00:00:00.123Z');
  });

  it('keeps years 1–99 as themselves, not as 19xx', () => {
    expect(timestampFromText('0099-06-01 00:00:00')).toBe('0099-06-01T00:00:00.000Z');
    expect(timestamptzFromText('0099-06-01 01:00:00+01')).toBe('0099-06-01T00:00:00.000Z');
    expect(dateFromText('0001-01-01 BC')).toBe('0000-01-01');
  });

  it('pads time fractions to six digits and drops all-zero ones', () => {
    expect(timeFromText('23:59:59.9')).toBe('23:59:59.900000');
    expect(timeFromText('24:00:00')).toBe('24:00:00');
    expect(timeFromText('01:02:03.000000')).toBe('01:02:03');
  });

  it('parses nested, quoted, escaped and bounded array literals', () => {
    const asText = (raw: string) => raw;
    expect(parseArrayLiteral('{}', asText)).toEqual([]);
    expect(parseArrayLiteral('{a,NULL,null,"NULL",""}', asText)).toEqual(['a', null, null, 'NULL', '']);
    expect(parseArrayLiteral('{"a,b","say \\"hi\\"","back\\\\slash","{braces}"}', asText)).toEqual(['a,b', 'say "hi"', 'back\\slash', '{braces}']);
    expect(parseArrayLiteral('{{1,2},{3,4}}', Number)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArrayLiteral('[0:1]={7,8}', Number)).toEqual([7, 8]);
    expect(parseArrayLiteral('{{}}', asText)).toEqual([[]]);
    expect(() => parseArrayLiteral('{"unterminated', asText)).toThrow(/malformed Postgres array literal/);
  });
});
