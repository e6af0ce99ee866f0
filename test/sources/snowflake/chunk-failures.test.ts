import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/values.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import type { ChunkBodyFault, SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, readAll, startEmulator } from './harness.ts';

const ROWS = 30_000;
const INLINE_ROWS = 1_000;
const CHUNK_ROWS = 10_000;
/** Chunks the result is split into after the inline rows. */
const CHUNKS = Math.ceil((ROWS - INLINE_ROWS) / CHUNK_ROWS);
const SERIES = `SELECT i::BIGINT AS id FROM range(1, ${ROWS} + 1) t(i) ORDER BY i`;

/** Reads until the read ends or fails: the rows that arrived first, and the failure if there was one. */
async function readUntilFailure(session: SourceSession, query: string, timeoutMs?: number): Promise<{ rows: Row[]; error: unknown }> {
  const rows: Row[] = [];
  try {
    for await (const batch of session.read(query, { batchSize: 500, timeoutMs })) rows.push(...batch);
  } catch (error) {
    return { rows, error };
  }
  return { rows, error: undefined };
}

describe('Snowflake source: a result chunk that does not arrive whole', () => {
  let emulator: SnowflakeEmulator;
  let session: SourceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ inlineRowLimit: INLINE_ROWS, chunkRowCount: CHUNK_ROWS });
    session = await openSource(passwordOptions(emulator));
  });
  afterEach(() => {
    emulator.knobs.rowsMissingPerChunk = undefined;
  });
  afterAll(async () => {
    await session.close();
    await emulator.close();
  });

  it('fails the read, after rows were already delivered, when a chunk cannot be downloaded', async () => {
    // A 404 (the stored result is gone) is the failure the driver does not retry. It retries a 500,
    // a 403 or a broken body ten times, backing off up to 16 s each time, and then fails the same way.
    emulator.failNext({ endpoint: 'chunk', status: 404 });
    const { rows, error } = await readUntilFailure(session, SERIES);
    expect(rows.length).toBeGreaterThanOrEqual(INLINE_ROWS);
    expect(rows.length).toBeLessThan(ROWS);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      code: 'SOURCE_QUERY',
      message: expect.stringContaining('could not download a chunk of the query\'s result: Request to S3/Blob failed. (HTTP 404, 402002)'),
    });
    expect((error as SourceError).message).toMatch(/Hint: run the plan again/);
    // The session is fine; only that result was lost.
    expect((await readAll(session, 'SELECT 1 AS still_here')).flat()).toEqual([{ still_here: 1 }]);
  });

  it('fails the read when the chunks hold fewer rows than the result announced, which the driver ends quietly', async () => {
    emulator.knobs.rowsMissingPerChunk = 5;
    const { rows, error } = await readUntilFailure(session, SERIES);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      code: 'SOURCE_QUERY',
      message: expect.stringMatching(new RegExp(`delivered ${ROWS - 5 * CHUNKS} of the ${ROWS} rows it announced; .*\\nHint: run the plan again`)),
    });
    // The partial last batch is never handed out.
    expect(rows.length).toBeLessThan(ROWS - 5 * CHUNKS);
  });

  it.each<ChunkBodyFault>(['drop-mid-body', 'corrupt-gzip'])('reads every row when one chunk download breaks (%s): the driver fetches it again', async (fault) => {
    const downloadsBefore = emulator.counters.chunkDownloads;
    emulator.failNext({ endpoint: 'chunk', chunkBody: fault });
    const { rows, error } = await readUntilFailure(session, SERIES);
    expect(error).toBeUndefined();
    expect(rows).toHaveLength(ROWS);
    expect(rows.every((row, index) => row.id === index + 1)).toBe(true);
    expect(emulator.counters.chunkDownloads - downloadsBefore).toBe(CHUNKS + 1);
  });

  it('fails as a timeout, at the read\'s deadline, when a chunk body is cut short and the driver waits for ever', async () => {
    emulator.failNext({ endpoint: 'chunk', chunkBody: 'half-gzip' });
    const started = Date.now();
    const { rows, error } = await readUntilFailure(session, SERIES, 1_500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(rows.length).toBeGreaterThanOrEqual(INLINE_ROWS);
    expect(rows.length).toBeLessThan(ROWS);
    expect(error).toMatchObject({ code: 'SOURCE_TIMEOUT', message: expect.stringContaining('did not finish streaming within 1500 ms (the sync\'s readTimeout)') });
    expect((await readAll(session, 'SELECT 1 AS still_here')).flat()).toEqual([{ still_here: 1 }]);
  });
});
