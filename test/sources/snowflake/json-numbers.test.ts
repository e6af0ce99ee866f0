import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/values.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import type { SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, readAll, startEmulator } from './harness.ts';

/**
 * JSON numbers a JavaScript number cannot hold in VARIANT, OBJECT and ARRAY columns, which
 * snowflake-sdk parses itself (through the parser the source gives it), beyond the contract's cases.
 */
describe('Snowflake source: JSON numbers a double cannot hold', () => {
  let emulator: SnowflakeEmulator;
  let session: SourceSession;

  beforeAll(async () => {
    // Text columns the emulator hands out as VARIANT verbatim, like Snowflake's non-strict JSON output.
    emulator = await startEmulator({ typeOverrides: { loose: 'variant', loose_big: 'variant' } });
    session = await openSource(passwordOptions(emulator));
  });
  afterAll(async () => {
    await session.close();
    await emulator.close();
  });

  async function refusal(query: string): Promise<SourceError> {
    const error = await readAll(session, query).then(() => undefined, (caught: unknown) => caught);
    expect(error, query).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_INEXACT_NUMBER');
    return error as SourceError;
  }

  it('reads VARIANT, OBJECT and ARRAY exactly when every number survives, and refuses each one that does not', async () => {
    const [row] = (await readAll(session, `SELECT
        '{"safe": 9007199254740991, "amount": 10.10, "id": "12345678901234567890"}'::JSON AS meta,
        {'seats': 9007199254740991::BIGINT, 'ratio': 0.3333333333333333::DOUBLE, 'note': 'x: 12345678901234567890'} AS settings,
        [1, -9007199254740991]::BIGINT[] AS ids,
        '[NaN, 1]' AS loose`)).flat() as Row[];
    expect(row).toStrictEqual({
      meta: { safe: 9007199254740991, amount: 10.1, id: '12345678901234567890' },
      settings: { seats: 9007199254740991, ratio: 0.3333333333333333, note: 'x: 12345678901234567890' },
      ids: [1, -9007199254740991],
      // Non-strict JSON is still read as the driver's own parser reads it.
      loose: ['NaN', 1],
    });

    const variant = await refusal(`SELECT 1 AS id, '{"order_id": 1234567890123456789}'::JSON AS meta`);
    expect(variant.message).toContain('column "meta" holds the JSON number 1234567890123456789 at $.order_id');
    expect(variant.message).toContain('it would reach the destination as 1234567890123456800');
    expect(variant.message).toMatch(/as a string: that field with meta:order_id::VARCHAR, or the whole document with TO_JSON\(meta\)\.$/);

    const object = await refusal(`SELECT {'account': {'external id': 12345678901234567890::HUGEINT}} AS settings`);
    expect(object.message).toContain('column "settings" holds the JSON number 12345678901234567890 at $.account["external id"]');
    expect(object.message).toContain(`that field with settings:account['external id']::VARCHAR`);

    const array = await refusal(`SELECT [1, 9007199254740993]::BIGINT[] AS ids`);
    expect(array.message).toContain('column "ids" holds the JSON number 9007199254740993 at $[1]');

    const loose = await refusal(`SELECT '[NaN, 12345678901234567890]' AS loose_big`);
    expect(loose.message).toContain('column "loose_big" holds the JSON number 12345678901234567890 at $[1]');

    // The session reads on.
    expect((await readAll(session, 'SELECT 1 AS one')).flat()).toStrictEqual([{ one: 1 }]);
  });
});
