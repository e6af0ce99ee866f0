import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/core/values.ts';
import { duckdbSource } from '../../../src/sources/duckdb/index.ts';
import type { SourceSession } from '../../../src/sources/source.ts';

/**
 * DuckDB types beyond the cross-warehouse contract fixture, each against its normalised value. Where
 * Postgres has the same type, test/sources/postgres/types.test.ts expects the very same value.
 */
describe('duckdb source: type normalisation', () => {
  let session: SourceSession;

  beforeAll(async () => {
    session = await duckdbSource.open({ path: ':memory:' }, { rootDir: process.cwd() });
  });
  afterAll(async () => {
    await session.close();
  });

  async function one(select: string): Promise<Row> {
    const rows: Row[] = [];
    for await (const batch of session.read(`SELECT ${select}`, { batchSize: 10 })) rows.push(...batch);
    expect(rows).toHaveLength(1);
    return rows[0] as Row;
  }

  it('keeps integers of every width exact: numbers up to 2^53 − 1, decimal strings beyond', async () => {
    expect(
      await one(`(-128)::TINYINT AS t, 255::UTINYINT AS ut, 4294967295::UINTEGER AS ui, 9007199254740991::BIGINT AS safe,
        18446744073709551615::UBIGINT AS ubig, (-170141183460469231731687303715884105728)::HUGEINT AS huge,
        340282366920938463463374607431768211455::UHUGEINT AS uhuge, 12::HUGEINT AS small_huge`),
    ).toStrictEqual({
      t: -128,
      ut: 255,
      ui: 4294967295,
      safe: 9007199254740991,
      ubig: '18446744073709551615',
      huge: '-170141183460469231731687303715884105728',
      uhuge: '340282366920938463463374607431768211455',
      small_huge: 12,
    });
  });

  it('prints decimals with exactly their scale at every storage width, and scale 0 as integers', async () => {
    expect(
      await one(`1.5::DECIMAL(4,1) AS d16, -0.001::DECIMAL(9,3) AS d32, 123456789012.345678::DECIMAL(18,6) AS d64,
        -12345678901234567890.1234567890::DECIMAL(38,10) AS d128, 0::DECIMAL(10,2) AS zero, 1234::DECIMAL(4,0) AS whole,
        99999999999999999999::DECIMAL(38,0) AS big_whole`),
    ).toStrictEqual({
      d16: '1.5',
      d32: '-0.001',
      d64: '123456789012.345678',
      d128: '-12345678901234567890.1234567890',
      zero: '0.00',
      whole: 1234,
      big_whole: '99999999999999999999',
    });
  });

  it('gives REAL its shortest decimal (as Postgres prints it) and spells out non-finite doubles', async () => {
    expect(await one(`1.1::FLOAT AS f, 3.4028235e38::FLOAT AS fmax, 'Infinity'::DOUBLE AS inf, '-Infinity'::DOUBLE AS ninf, 'NaN'::FLOAT AS fnan, -0.0::DOUBLE AS nzero`)).toStrictEqual({
      f: 1.1,
      fmax: 3.4028235e38,
      inf: 'Infinity',
      ninf: '-Infinity',
      fnan: 'NaN',
      nzero: -0,
    });
  });

  it('formats dates, times and timestamps of every precision, BC years, far-future years and infinities', async () => {
    expect(
      await one(`TIME '12:34:56' AS t, TIME '12:34:56.5' AS tf, TIME '00:00:00.000001' AS tmicro,
        TIMESTAMP_S '2024-01-02 03:04:05' AS ts_s, TIMESTAMP_MS '2024-01-02 03:04:05.678' AS ts_ms,
        TIMESTAMP_NS '1969-12-31 23:59:59.999999999' AS ts_ns, DATE '0044-03-15 (BC)' AS bc, DATE '12345-06-07' AS far,
        'infinity'::TIMESTAMP AS ts_inf, '-infinity'::DATE AS d_ninf, 'infinity'::TIMESTAMPTZ AS tz_inf,
        TIMESTAMP '0001-01-01 00:00:00' AS first_ad, TIMESTAMP '0044-03-15 (BC) 12:00:00.25' AS ts_bc,
        TIMESTAMPTZ '2024-06-01 00:30:00 America/New_York' AS tz_named, TIMESTAMP '12345-06-07 08:09:10.111213' AS ts_far`),
    ).toStrictEqual({
      t: '12:34:56',
      tf: '12:34:56.500000',
      tmicro: '00:00:00.000001',
      ts_s: '2024-01-02T03:04:05.000Z',
      ts_ms: '2024-01-02T03:04:05.678Z',
      ts_ns: '1969-12-31T23:59:59.999Z',
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

  it('turns nested types into JSON values whose leaves follow the same rules', async () => {
    expect(
      await one(`[{'amount': 1.50::DECIMAL(5,2), 'at': TIMESTAMP '2024-01-01 10:00:00.1234', 'n': NULL::INTEGER}] AS list_of_structs,
        MAP {1: 'one', 2: 'two'} AS int_map, [1, NULL, 3] AS with_null, [[1, 2], [3]] AS nested,
        [9007199254740993, 1]::BIGINT[] AS big_list, ['a', 'b']::VARCHAR[2] AS fixed,
        union_value(num := 7)::UNION(num INTEGER, str VARCHAR) AS tagged, ['{"k": [1]}']::JSON[] AS json_list,
        '"just a string"'::JSON AS json_scalar, {'blob': '\\x01'::BLOB, 'd': DATE '2024-01-01'} AS struct_leaves`),
    ).toStrictEqual({
      list_of_structs: [{ amount: '1.50', at: '2024-01-01T10:00:00.123Z', n: null }],
      int_map: { '1': 'one', '2': 'two' },
      with_null: [1, null, 3],
      nested: [[1, 2], [3]],
      big_list: ['9007199254740993', 1],
      fixed: ['a', 'b'],
      tagged: 7,
      json_list: [{ k: [1] }],
      json_scalar: 'just a string',
      struct_leaves: { blob: 'AQ==', d: '2024-01-01' },
    });
  });

  it('keeps enums, UUIDs, intervals and bit strings as text', async () => {
    expect(
      await one(`'b'::ENUM('a', 'b') AS e, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID AS u, '00000000-0000-0000-0000-000000000000'::UUID AS zero_u,
        INTERVAL '1 day 2 hours' AS i, '101'::BIT AS b`),
    ).toStrictEqual({
      e: 'b',
      u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      zero_u: '00000000-0000-0000-0000-000000000000',
      i: '1 day 02:00:00',
      b: '101',
    });
  });

  it('refuses a query with two columns of the same name instead of dropping one', async () => {
    await expect(one('1 AS id, 2 AS id')).rejects.toThrow(/more than one column named "id"/);
  });
});
