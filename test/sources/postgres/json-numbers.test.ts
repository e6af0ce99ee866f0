import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/values.ts';
import { postgresSource } from '../../../src/sources/postgres/index.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import { POSTGRES_URL } from '../../support/postgres.ts';

/**
 * JSON numbers a JavaScript number cannot hold, beyond the contract's cases. pg parses rows inside
 * its socket handler, where a parser must not throw: these check the read still fails cleanly, at
 * the batch that holds the number, and leaves the session usable.
 */
describe('postgres source: JSON numbers a double cannot hold', () => {
  let session: SourceSession;

  beforeAll(async () => {
    session = await postgresSource.open({ connectionString: POSTGRES_URL }, { rootDir: process.cwd() });
  });
  afterAll(async () => {
    await session?.close();
  });

  async function read(query: string, batchSize = 10): Promise<Row[][]> {
    const batches: Row[][] = [];
    for await (const batch of session.read(query, { batchSize })) batches.push(batch);
    return batches;
  }

  async function refusal(query: string): Promise<SourceError> {
    const error = await read(query).then(() => undefined, (caught: unknown) => caught);
    expect(error, query).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_INEXACT_NUMBER');
    return error as SourceError;
  }

  it('fails at the batch holding the number, after the earlier batches, and the session reads on', async () => {
    const query = `SELECT i AS id, CASE WHEN i = 150 THEN '{"n": 12345678901234567890}' ELSE '{"n": ' || i || '}' END::jsonb AS doc
      FROM generate_series(1, 250) AS t(i) ORDER BY i`;
    const delivered: number[] = [];
    const error = await (async () => {
      for await (const batch of session.read(query, { batchSize: 100 })) delivered.push(batch.length);
    })().then(() => undefined, (caught: unknown) => caught);
    expect(delivered).toEqual([100]);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain('column "doc" holds the JSON number 12345678901234567890 at $.n');
    expect((await read('SELECT 1 AS one')).flat()).toStrictEqual([{ one: 1 }]);
  });

  it('refuses json text as written (exponents, arrays of json) under its column, and reads the rest exactly', async () => {
    expect((await read(`SELECT '{"e": 1.5e300, "s": "12345678901234567890"}'::json AS doc, ARRAY['[9007199254740991]'::jsonb] AS docs`)).flat()).toStrictEqual([
      { doc: { e: 1.5e300, s: '12345678901234567890' }, docs: [[9007199254740991]] },
    ]);
    const overflow = await refusal(`SELECT '{"big": 1e400}'::json AS doc`);
    expect(overflow.message).toContain('column "doc" holds the JSON number 1e400 at $.big, which a JavaScript number cannot hold exactly: it would reach the destination as null');
    const inArray = await refusal(`SELECT 1 AS id, ARRAY['{"a": 1}'::jsonb, '{"a": 9007199254740993}'::jsonb] AS "Docs"`);
    expect(inArray.message).toContain('column "Docs" holds a JSON value with the number 9007199254740993 at $.a');
    expect(inArray.message).toMatch(/as a string: the whole column with "Docs"::text\.$/);
  });

  it('suggests SQL that returns the number exactly as text, the field or the whole document', async () => {
    const document = '{"items": [{"ratio": 0.10000000000000000001, "id": 1}]}';
    const table = `(SELECT '${document}'::jsonb AS "Meta") AS t`;
    const error = await refusal(`SELECT "Meta" FROM ${table}`);
    const [, field, whole] = /that field with (.+), or the whole document with (.+)\.$/.exec(error.message) ?? [];
    expect(field).toBe(`"Meta"->'items'->0->>'ratio'`);
    expect(whole).toBe(`"Meta"::text`);
    const [row] = (await read(`SELECT ${field} AS ratio, ${whole} AS text FROM ${table}`)).flat();
    expect(row?.ratio).toBe('0.10000000000000000001');
    expect(JSON.parse(row?.text as string)).toEqual(JSON.parse(document));
    expect(row?.text).toContain('0.10000000000000000001');
  });
});
