import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceSession } from '../../../src/sources/source.ts';
import type { SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, startEmulator } from './harness.ts';

const ROWS = 200_000;
const CHUNK_ROWS = 10_000;
const INLINE_ROWS = 1_000;
/** Chunks the result is split into after the inline rows. */
const CHUNKS = Math.ceil((ROWS - INLINE_ROWS) / CHUNK_ROWS);
const SERIES = `SELECT i::BIGINT AS id, 'account ' || i AS name, (i * 0.25)::DECIMAL(12,2) AS mrr FROM range(1, ${ROWS} + 1) t(i) ORDER BY i`;

describe('Snowflake source: streaming a chunked result', () => {
  let emulator: SnowflakeEmulator;
  let session: SourceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ inlineRowLimit: INLINE_ROWS, chunkRowCount: CHUNK_ROWS });
    session = await openSource(passwordOptions(emulator));
  });
  afterAll(async () => {
    await session.close();
    await emulator.close();
  });

  it(`delivers ${ROWS.toLocaleString('en')} rows from ${CHUNKS} gzip chunks in order, once each, in full batches, with flat memory`, async () => {
    const chunksBefore = emulator.counters.chunkDownloads;
    const batchSize = 4_999;
    let expectedId = 1;
    let outOfOrder = 0;
    const sizes: number[] = [];
    let baseline = 0;
    let peak = 0;
    for await (const batch of session.read(SERIES, { batchSize })) {
      sizes.push(batch.length);
      for (const row of batch) if (row.id !== expectedId++) outOfOrder++;
      const rss = process.memoryUsage().rss;
      if (baseline === 0 && expectedId > 20_000) baseline = rss;
      peak = Math.max(peak, rss);
    }
    expect(expectedId - 1).toBe(ROWS);
    expect(outOfOrder).toBe(0);
    expect(sizes.slice(0, -1).every((size) => size === batchSize)).toBe(true);
    expect(sizes.at(-1)).toBe(ROWS % batchSize);
    // Every chunk downloaded exactly once: nothing re-fetched, nothing skipped.
    expect(emulator.counters.chunkDownloads - chunksBefore).toBe(CHUNKS);
    const growthMb = (peak - baseline) / 1024 / 1024;
    // The same bound as the source contract: the driver's decoded chunks churn the heap, but it plateaus.
    expect(growthMb, `RSS grew ${growthMb.toFixed(0)} MB while streaming`).toBeLessThan(150);
  });

  it('stops downloading chunks while the consumer holds a batch (backpressure), then resumes', async () => {
    const rowsInQuery = 100_000;
    const chunksBefore = emulator.counters.chunkDownloads;
    let rows = 0;
    let downloadedWhileBusy = -1;
    for await (const batch of session.read(SERIES.replace(String(ROWS), String(rowsInQuery)), { batchSize: 2_000 })) {
      rows += batch.length;
      if (downloadedWhileBusy < 0) {
        // A slow consumer (staging, a rate-limited destination): give the driver time to run ahead.
        await sleep(400);
        downloadedWhileBusy = emulator.counters.chunkDownloads - chunksBefore;
      }
    }
    expect(rows).toBe(rowsInQuery);
    // Only the driver's small prefetch window was fetched while the consumer was busy, not the
    // result's ${Math.ceil((rowsInQuery - INLINE_ROWS) / CHUNK_ROWS)} chunks.
    expect(downloadedWhileBusy).toBeLessThanOrEqual(4);
    expect(emulator.counters.chunkDownloads - chunksBefore).toBe(Math.ceil((rowsInQuery - INLINE_ROWS) / CHUNK_ROWS));
  });

  it('stops early without draining the result and keeps the session usable', async () => {
    const chunksBefore = emulator.counters.chunkDownloads;
    for await (const batch of session.read(SERIES, { batchSize: 500 })) {
      expect(batch[0]?.id).toBe(1);
      break;
    }
    await sleep(200);
    expect(emulator.counters.chunkDownloads - chunksBefore).toBeLessThanOrEqual(4);
    const rows: unknown[] = [];
    for await (const batch of session.read('SELECT 7 AS lucky', { batchSize: 10 })) rows.push(...batch);
    expect(rows).toEqual([{ lucky: 7 }]);
  });
});
