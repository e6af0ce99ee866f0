import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/values.ts';
import { duckdbSource } from '../../../src/sources/duckdb/index.ts';
import type { SourceSession } from '../../../src/sources/source.ts';

/** JSON numbers a JavaScript number cannot hold, beyond the contract's cases: nested columns and the hint's SQL. */
describe('duckdb source: JSON numbers a double cannot hold', () => {
  let session: SourceSession;

  beforeAll(async () => {
    session = await duckdbSource.open({ path: ':memory:' }, { rootDir: process.cwd() });
  });
  afterAll(async () => {
    await session.close();
  });

  async function read(query: string): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const batch of session.read(query, { batchSize: 10 })) rows.push(...batch);
    return rows;
  }

  async function refusal(query: string): Promise<SourceError> {
    const error = await read(query).then(() => undefined, (caught: unknown) => caught);
    expect(error, query).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_INEXACT_NUMBER');
    return error as SourceError;
  }

  it('refuses JSON inside lists, structs and maps under the name of the column holding it, and reads the rest exactly', async () => {
    expect(await read(`SELECT ['{"id": 9007199254740991}', '{"id": "12345678901234567890"}']::JSON[] AS docs, {'doc': '[0.1, 1e300]'::JSON} AS wrapped`)).toStrictEqual([
      { docs: [{ id: 9007199254740991 }, { id: '12345678901234567890' }], wrapped: { doc: [0.1, 1e300] } },
    ]);
    const inList = await refusal(`SELECT 1 AS id, ['{"id": 1}', '{"id": 12345678901234567890}']::JSON[] AS docs`);
    // The path starts at the JSON value, and only the whole column is offered as text.
    expect(inList.message).toContain('column "docs" holds a JSON value with the number 12345678901234567890 at $.id');
    expect(inList.message).toMatch(/as a string: the whole column with docs::VARCHAR\.$/);
    const inStruct = await refusal(`SELECT {'doc': '{"ratio": 0.10000000000000000001}'::JSON} AS wrapped`);
    expect(inStruct.message).toContain('column "wrapped" holds a JSON value with the number 0.10000000000000000001 at $.ratio');
    const inMap = await refusal(`SELECT MAP {'k': '[-9007199254740993]'::JSON} AS mapped`);
    expect(inMap.message).toContain('column "mapped" holds a JSON value with the number -9007199254740993 at $[0]');
  });

  it('suggests SQL that returns the number exactly as text: the field for integers, the document always', async () => {
    const document = '{"items": [{"id": 1234567890123456789, "ratio": 0.10000000000000000001}]}';
    const table = `(SELECT '${document}'::JSON AS meta)`;
    const integer = await refusal(`SELECT meta FROM ${table}`);
    const [, field, whole] = /that field with (.+), or the whole document with (.+)\.$/.exec(integer.message) ?? [];
    expect(field).toBe(`meta->'items'->0->>'id'`);
    expect(await read(`SELECT ${field} AS id, ${whole} AS text FROM ${table}`)).toStrictEqual([{ id: '1234567890123456789', text: document }]);

    // DuckDB's ->> reads decimals as doubles, so for them only the whole document is offered.
    const decimal = await refusal(`SELECT '{"items": [{"ratio": 0.10000000000000000001}]}'::JSON AS meta`);
    expect(decimal.message).toContain('at $.items[0].ratio');
    expect(decimal.message).toMatch(/as a string: the whole document with meta::VARCHAR\.$/);
  });
});
