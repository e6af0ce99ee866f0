import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/core/values.ts';
import { postgresSource } from '../../../src/sources/postgres/index.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import { createTestSchema, POSTGRES_URL, type TestSchema } from '../../support/postgres.ts';

/**
 * Postgres types beyond the cross-warehouse contract fixture. Where DuckDB has the same type,
 * the expected value is the one test/sources/duckdb/types.test.ts asserts.
 */
describe('postgres source: type normalisation', () => {
  let schema: TestSchema;
  let session: SourceSession;

  beforeAll(async () => {
    schema = await createTestSchema('pg_types');
    await schema.query(`
      CREATE TYPE ${schema.name}.mood AS ENUM ('calm', 'busy');
      CREATE DOMAIN ${schema.name}.positive AS integer CHECK (VALUE > 0);
      CREATE DOMAIN ${schema.name}.money_amount AS numeric(10,2);`);
    session = await postgresSource.open({ connectionString: POSTGRES_URL }, { rootDir: process.cwd() });
  });
  afterAll(async () => {
    await session?.close();
    await schema?.drop();
  });

  async function one(select: string): Promise<Row> {
    const rows: Row[] = [];
    for await (const batch of session.read(`SELECT ${select}`, { batchSize: 10 })) rows.push(...batch);
    expect(rows).toHaveLength(1);
    return rows[0] as Row;
  }

  it('keeps integers and numerics exact: numbers up to 2^53 − 1, decimal strings beyond, scale preserved', async () => {
    expect(
      await one(`(-32768)::int2 AS i2, 2147483647::int4 AS i4, 9007199254740991::int8 AS safe, (-9223372036854775808)::int8 AS min8,
        1234::numeric(4,0) AS whole, 99999999999999999999::numeric(38,0) AS big_whole, 1.5::numeric AS free_scale,
        (-12345678901234567890.1234567890)::numeric(38,10) AS d128, 0::numeric(10,2) AS zero, 'NaN'::numeric AS nan,
        100::numeric AS free_whole, 12.5::${schema.name}.money_amount AS domain_numeric`),
    ).toStrictEqual({
      i2: -32768,
      i4: 2147483647,
      safe: 9007199254740991,
      min8: '-9223372036854775808',
      whole: 1234,
      big_whole: '99999999999999999999',
      free_scale: '1.5',
      d128: '-12345678901234567890.1234567890',
      zero: '0.00',
      nan: 'NaN',
      free_whole: 100,
      domain_numeric: '12.50',
    });
  });

  it('reads REAL and DOUBLE as numbers and spells out non-finite ones', async () => {
    expect(await one(`1.1::float4 AS f, 3.4028235e38::float4 AS fmax, 'Infinity'::float8 AS inf, '-Infinity'::float8 AS ninf, 'NaN'::float4 AS fnan, 0.1::float8 + 0.2::float8 AS sum`)).toStrictEqual({
      f: 1.1,
      fmax: 3.4028235e38,
      inf: 'Infinity',
      ninf: '-Infinity',
      fnan: 'NaN',
      sum: 0.30000000000000004,
    });
  });

  it('formats dates, times and timestamps, BC years, far-future years and infinities', async () => {
    expect(
      await one(`time '12:34:56' AS t, time '12:34:56.5' AS tf, time '00:00:00.000001' AS tmicro,
        timestamp '2024-01-02 03:04:05' AS ts_s, timestamp '2024-01-02 03:04:05.678' AS ts_ms,
        date '0044-03-15 BC' AS bc, date '12345-06-07' AS far, 'infinity'::timestamp AS ts_inf, '-infinity'::date AS d_ninf,
        'infinity'::timestamptz AS tz_inf, timestamp '0001-01-01 00:00:00' AS first_ad,
        timestamp '0044-03-15 12:00:00.25 BC' AS ts_bc, timestamptz '2024-06-01 00:30:00 America/New_York' AS tz_named,
        timestamp '12345-06-07 08:09:10.111213' AS ts_far`),
    ).toStrictEqual({
      t: '12:34:56',
      tf: '12:34:56.500000',
      tmicro: '00:00:00.000001',
      ts_s: '2024-01-02T03:04:05.000Z',
      ts_ms: '2024-01-02T03:04:05.678Z',
      bc: '-000043-03-15',
      far: '+012345-06-07',
      ts_inf: 'infinity',
      d_ninf: '-infinity',
      tz_inf: 'infinity',
      first_ad: '0001-01-01T00:00:00.000Z',
      ts_bc: '-000043-03-15T12:00:00.250Z',
      tz_named: '2024-06-01T04:30:00.000Z',
      ts_far: '+012345-06-07T08:09:10.111Z',
    });
  });

  it('turns arrays into JSON arrays whose elements follow the scalar rules', async () => {
    expect(
      await one(`ARRAY[9007199254740993, 1]::int8[] AS big_list, ARRAY[1.50, NULL]::numeric(5,2)[] AS decimals,
        ARRAY['a,b', 'say "hi"', 'back\\slash', 'NULL', '', NULL]::text[] AS texts, ARRAY[[1, 2], [3, 4]] AS matrix,
        '[0:1]={7,8}'::int[] AS offset_bounds, ARRAY[timestamptz '2024-01-01 10:00:00.1234+02']::timestamptz[] AS stamps,
        ARRAY[date '2024-02-29'] AS dates, ARRAY['{"k": [1]}'::jsonb] AS docs, ARRAY['\\x01'::bytea] AS blobs,
        ARRAY[true, false] AS flags, ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid] AS uuids, '{}'::text[] AS empty`),
    ).toStrictEqual({
      big_list: ['9007199254740993', 1],
      decimals: ['1.50', null],
      texts: ['a,b', 'say "hi"', 'back\\slash', 'NULL', '', null],
      matrix: [
        [1, 2],
        [3, 4],
      ],
      offset_bounds: [7, 8],
      stamps: ['2024-01-01T08:00:00.123Z'],
      dates: ['2024-02-29'],
      docs: [{ k: [1] }],
      blobs: ['AQ=='],
      flags: [true, false],
      uuids: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
      empty: [],
    });
  });

  it('reads enums, domains and arrays of database-defined types by their underlying rules', async () => {
    expect(
      await one(`'busy'::${schema.name}.mood AS mood, ARRAY['calm', 'busy']::${schema.name}.mood[] AS moods,
        5::${schema.name}.positive AS positive, ARRAY[7]::${schema.name}.positive[] AS positives`),
    ).toStrictEqual({ mood: 'busy', moods: ['calm', 'busy'], positive: 5, positives: [7] });
  });

  it('keeps JSON scalars, intervals, network and bit types as the server prints them', async () => {
    expect(await one(`'"just a string"'::json AS json_scalar, 'null'::jsonb AS json_null, interval '1 day 2 hours' AS i, '10.0.0.1'::inet AS ip, B'101' AS b`)).toStrictEqual({
      json_scalar: 'just a string',
      json_null: null,
      i: '1 day 02:00:00',
      ip: '10.0.0.1',
      b: '101',
    });
  });
});
