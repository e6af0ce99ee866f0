import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import type { Row } from '../../src/core/values.ts';
import type { ReadOptions, SourceSession } from '../../src/sources/source.ts';

/**
 * One suite every source passes against a real warehouse: the engine relies on exactly these
 * behaviours (the normalised value model of core/values.ts, identical across warehouses; batches of
 * exactly `batchSize`; memory that does not grow with the row count; typed errors).
 */
export interface SourceHarness {
  session: SourceSession;
  /** SQL (this warehouse's dialect) returning exactly the contract fixture rows */
  fixtureQuery: string;
  /** SQL returning n rows: id (integer 1..n), name (text), amount (decimal(12,2)), created_at (timestamp) */
  seriesQuery(n: number): string;
  /** SQL returning one row per document: id (integer 1..n) and doc (this warehouse's JSON type) holding it, by id */
  jsonQuery(documents: readonly string[]): string;
  close(): Promise<void>;
}

/**
 * The contract fixture, which each harness creates in its own dialect, ordered by `id`:
 *
 * | column           | warehouse type            | row 1                                   | row 2                                 |
 * |------------------|---------------------------|-----------------------------------------|---------------------------------------|
 * | id               | integer                   | 1                                       | 2                                     |
 * | flag             | boolean                   | true                                    | false                                 |
 * | small_int        | smallint                  | 42                                      | -32768                                |
 * | big_int          | bigint / NUMBER(38,0)     | 9007199254740993 (2^53 + 1)             | 9007199254740991 (2^53 − 1)           |
 * | negative_big_int | bigint / NUMBER(38,0)     | -9223372036854775808                    | -9007199254740992 (−2^53)             |
 * | amount           | decimal(12,2)             | 1234.50                                 | -0.05                                 |
 * | ratio            | double                    | 0.1                                     | NaN                                   |
 * | day              | date                      | 2024-02-29                              | 1969-07-20                            |
 * | ts               | timestamp without zone    | 2024-03-10 12:34:56.789123              | 1969-12-31 23:59:59.999999            |
 * | ts_tz            | timestamp with time zone  | 2024-03-10 12:34:56.789 +05:30          | 1999-12-31 23:59:59.5 -08:00          |
 * | label            | text                      | Zoë O'Brien — 日本語 🎉                  | '' (empty string)                     |
 * | uid              | uuid (text where none)    | a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11    | ffffffff-ffff-ffff-ffff-ffffffffffff  |
 * | doc              | json / jsonb / VARIANT    | {"a":1,"b":[true,null,"x"],"c":{"d":"é"}} | [1,"two",{"three":3.5}]             |
 * | tags             | integer list / array      | [1,2,3]                                 | [] (empty)                            |
 * | payload          | blob / bytea / binary     | bytes 65 62 62 00 ff                    | zero bytes                            |
 *
 * Row 3 has id 3 and NULL in every other column.
 */
export const EXPECTED_FIXTURE_ROWS: readonly Row[] = [
  {
    id: 1,
    flag: true,
    small_int: 42,
    big_int: '9007199254740993',
    negative_big_int: '-9223372036854775808',
    amount: '1234.50',
    ratio: 0.1,
    day: '2024-02-29',
    ts: '2024-03-10T12:34:56.789Z',
    ts_tz: '2024-03-10T07:04:56.789Z',
    label: "Zoë O'Brien — 日本語 🎉",
    uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    doc: { a: 1, b: [true, null, 'x'], c: { d: 'é' } },
    tags: [1, 2, 3],
    payload: 'ZWJiAP8=',
  },
  {
    id: 2,
    flag: false,
    small_int: -32768,
    big_int: 9007199254740991,
    negative_big_int: '-9007199254740992',
    amount: '-0.05',
    ratio: 'NaN',
    day: '1969-07-20',
    // Sub-millisecond digits are truncated, never rounded up into the next second (or year).
    ts: '1969-12-31T23:59:59.999Z',
    ts_tz: '2000-01-01T07:59:59.500Z',
    label: '',
    uid: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    doc: [1, 'two', { three: 3.5 }],
    tags: [],
    payload: '',
  },
  {
    id: 3,
    flag: null,
    small_int: null,
    big_int: null,
    negative_big_int: null,
    amount: null,
    ratio: null,
    day: null,
    ts: null,
    ts_tz: null,
    label: null,
    uid: null,
    doc: null,
    tags: null,
    payload: null,
  },
];

const FIXTURE_COLUMNS = Object.keys(EXPECTED_FIXTURE_ROWS[0] as Row);
const MISSING_TABLE = 'ebb_contract_no_such_table';
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export async function readAll(session: SourceSession, query: string, options: ReadOptions): Promise<Row[][]> {
  const batches: Row[][] = [];
  for await (const batch of session.read(query, options)) batches.push(batch);
  return batches;
}

async function readError(read: () => Promise<unknown>): Promise<unknown> {
  try {
    await read();
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail, but it succeeded');
}

export function describeSourceContract(name: string, open: () => Promise<SourceHarness>, options: { streamingRows?: number } = {}): void {
  const streamingRows = options.streamingRows ?? 1_000_000;

  describe(`source contract: ${name}`, () => {
    let h: SourceHarness;

    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('normalises every type family exactly as core/values.ts describes', async () => {
      const rows = (await readAll(h.session, h.fixtureQuery, { batchSize: 100 })).flat();
      expect(rows).toStrictEqual(EXPECTED_FIXTURE_ROWS);
      for (const row of rows) expect(Object.keys(row), 'columns in query order').toEqual(FIXTURE_COLUMNS);
    });

    it('yields batches of exactly batchSize, the last one shorter, and nothing for an empty result', async () => {
      const sizes = async (n: number, batchSize: number) => (await readAll(h.session, h.seriesQuery(n), { batchSize })).map((batch) => batch.length);
      expect(await sizes(10, 3)).toEqual([3, 3, 3, 1]);
      expect(await sizes(10, 5)).toEqual([5, 5]);
      expect(await sizes(10, 1000)).toEqual([10]);
      expect(await sizes(3, 1)).toEqual([1, 1, 1]);
      expect(await sizes(0, 10)).toEqual([]);
      const fixtureSizes = (await readAll(h.session, h.fixtureQuery, { batchSize: 2 })).map((batch) => batch.length);
      expect(fixtureSizes).toEqual([2, 1]);
    });

    it('returns the series shape: integer ids 1..n, text, 2-digit decimals, ISO timestamps', async () => {
      const rows = (await readAll(h.session, h.seriesQuery(50), { batchSize: 20 })).flat();
      expect(rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(['id', 'name', 'amount', 'created_at']);
        expect(typeof row.name).toBe('string');
        expect(row.amount).toMatch(/^-?\d+\.\d{2}$/);
        expect(row.created_at).toMatch(ISO_TIMESTAMP);
      }
    });

    it(`streams ${streamingRows.toLocaleString('en')} rows in constant memory, every batch full but the last`, async () => {
      const batchSize = 7_919;
      const warmUpRows = Math.min(100_000, Math.floor(streamingRows / 10));
      let rows = 0;
      let idSum = 0;
      let baseline = 0;
      let peak = 0;
      const sizes: number[] = [];
      for await (const batch of h.session.read(h.seriesQuery(streamingRows), { batchSize })) {
        sizes.push(batch.length);
        rows += batch.length;
        for (const row of batch) idSum += row.id as number;
        const rss = process.memoryUsage().rss;
        if (baseline === 0 && rows >= warmUpRows) baseline = rss;
        peak = Math.max(peak, rss);
      }
      expect(rows).toBe(streamingRows);
      expect(idSum, 'every id 1..n exactly once').toBe((streamingRows * (streamingRows + 1)) / 2);
      expect(sizes.slice(0, -1).every((size) => size === batchSize), 'every batch but the last is full').toBe(true);
      expect(sizes.at(-1)).toBe(streamingRows % batchSize || batchSize);
      const growthMb = (peak - baseline) / 1024 / 1024;
      expect(growthMb, `RSS grew ${growthMb.toFixed(0)} MB over the post-warm-up baseline`).toBeLessThan(150);
    });

    it('can stop reading early and run the next query on the same session', async () => {
      for await (const batch of h.session.read(h.seriesQuery(100_000), { batchSize: 10 })) {
        expect(batch).toHaveLength(10);
        break;
      }
      const rows = (await readAll(h.session, h.fixtureQuery, { batchSize: 10 })).flat();
      expect(rows).toStrictEqual(EXPECTED_FIXTURE_ROWS);
    });

    it('turns SQL errors into SourceError carrying the warehouse message', async () => {
      const missing = await readError(() => readAll(h.session, `SELECT * FROM ${MISSING_TABLE}`, { batchSize: 10 }));
      expect(missing).toBeInstanceOf(SourceError);
      expect((missing as SourceError).message.toLowerCase()).toContain(MISSING_TABLE);
      const syntax = await readError(() => readAll(h.session, 'SELEKT 1 FROMM nowhere', { batchSize: 10 }));
      expect(syntax).toBeInstanceOf(SourceError);
      expect((syntax as SourceError).message.toLowerCase()).toMatch(/syntax|parse|parser|unexpected/);
      // The session survives a failed query.
      expect((await readAll(h.session, h.seriesQuery(3), { batchSize: 10 })).flat()).toHaveLength(3);
    });

    it('refuses a batchSize that is not a positive integer with a SourceError', async () => {
      for (const batchSize of [0, -1, 2.5, Number.NaN]) {
        const error = await readError(() => readAll(h.session, h.seriesQuery(3), { batchSize }));
        expect(error, `batchSize ${batchSize}`).toBeInstanceOf(SourceError);
        expect((error as SourceError).message).toContain('batchSize');
      }
    });

    it('reads JSON numbers exactly, and refuses a document with a number a JavaScript number would change', async () => {
      // Large but safe integers, decimals, exponents, and long digit runs inside strings read as always.
      const ordinary = [
        '{"safe": 9007199254740991, "neg": -9007199254740991, "amount": 10.10, "ratio": 0.1, "third": 0.3333333333333333}',
        '{"id_text": "12345678901234567890", "note": "order: 12345678901234567890, [12345678901234567890", "huge": 1.5e300, "tiny": 2.5e-300}',
        '[{"pi": 3.141592653589793, "e": 2.718281828459045, "n": 2e20}, -0.0000000000000001234, 100000000000000000000]',
      ];
      const rows = (await readAll(h.session, h.jsonQuery(ordinary), { batchSize: 10 })).flat();
      expect(rows.map((row) => row.doc)).toStrictEqual(ordinary.map((text) => JSON.parse(text)));

      const refusals: [string, string, string][] = [
        ['{"order_id": 1234567890123456789, "amount": 10.10}', '1234567890123456789', '$.order_id'],
        ['{"lines": [{"ratio": 0.10000000000000000001}]}', '0.10000000000000000001', '$.lines[0].ratio'],
        ['[1, -9007199254740993]', '-9007199254740993', '$[1]'],
      ];
      for (const [text, literal, path] of refusals) {
        const error = await readError(() => readAll(h.session, h.jsonQuery(['{"fine": 1}', text]), { batchSize: 1 }));
        expect(error, text).toBeInstanceOf(SourceError);
        expect((error as SourceError).code).toBe('SOURCE_INEXACT_NUMBER');
        const message = (error as SourceError).message;
        expect(message).toContain(`column "doc" holds the JSON number ${literal} at ${path}`);
        expect(message).toContain(`it would reach the destination as ${JSON.stringify(Number(literal))}`);
        expect(message).toMatch(/Hint: have the query return it as text/);
      }
      // The session is still usable after a refused read.
      expect((await readAll(h.session, h.jsonQuery(ordinary), { batchSize: 10 })).flat()).toHaveLength(3);
    });

    it('describes columns in query order with the warehouse type names, when describe is offered', async () => {
      if (!h.session.describe) return;
      const columns = await h.session.describe(h.fixtureQuery);
      expect(columns.map((column) => column.name)).toEqual(FIXTURE_COLUMNS);
      for (const column of columns) expect(column.type, `type of ${column.name}`).toMatch(/\S/);
      const error = await readError(() => h.session.describe!(`SELECT * FROM ${MISSING_TABLE}`));
      expect(error).toBeInstanceOf(SourceError);
    });

    it('closes idempotently, and a closed session refuses to read with a SourceError', async () => {
      const own = await open();
      await own.session.close();
      await own.session.close();
      const error = await readError(() => readAll(own.session, own.fixtureQuery, { batchSize: 10 }));
      expect(error).toBeInstanceOf(SourceError);
      await own.close();
    });

    it('fails a read cut short by close, so a partial result never looks complete', async () => {
      const own = await open();
      const iterator = own.session.read(own.seriesQuery(200_000), { batchSize: 100 })[Symbol.asyncIterator]();
      expect(((await iterator.next()).value as Row[]).length).toBe(100);
      await own.session.close();
      const error = await readError(async () => {
        for (let result = await iterator.next(); !result.done; result = await iterator.next());
      });
      expect(error).toBeInstanceOf(SourceError);
      await own.close();
    });
  });
}
