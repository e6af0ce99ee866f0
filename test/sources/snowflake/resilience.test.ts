import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/core/values.ts';
import type { SourceSession } from '../../../src/sources/source.ts';
import type { SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';
import { openSource, passwordOptions, readAll, startEmulator } from './harness.ts';

const series = (n: number) => `SELECT i::BIGINT AS id FROM range(1, ${n} + 1) t(i) ORDER BY i`;

function expectEachIdOnce(rows: Row[], n: number): void {
  expect(rows).toHaveLength(n);
  const ids = new Set(rows.map((row) => row.id));
  expect(ids.size).toBe(n);
  expect(Math.min(...(ids as Set<number>))).toBe(1);
  expect(Math.max(...(ids as Set<number>))).toBe(n);
}

describe('Snowflake source: expired sessions and lost answers', () => {
  let emulator: SnowflakeEmulator;
  let session: SourceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ inlineRowLimit: 500, chunkRowCount: 5_000, queryHoldMs: 150, resultHoldMs: 150 });
    session = await openSource(passwordOptions(emulator));
  });
  afterAll(async () => {
    await session.close();
    await emulator.close();
  });

  it('keeps streaming when the session expires mid-stream, and renews it for the next query without a new login', async () => {
    const before = { ...emulator.counters };
    const rows: Row[] = [];
    let expired = false;
    for await (const batch of session.read(series(40_000), { batchSize: 1_000 })) {
      rows.push(...batch);
      if (!expired) {
        emulator.expireSessionTokens();
        expired = true;
      }
    }
    expectEachIdOnce(rows, 40_000);
    // The next statement meets the expired token (390112), renews it with the master token, re-sends.
    expect((await readAll(session, 'SELECT 1 AS still_here')).flat()).toEqual([{ still_here: 1 }]);
    expect(emulator.counters.renewals - before.renewals).toBe(1);
    expect(emulator.counters.logins - before.logins).toBe(0);
    expect(emulator.counters.executions - before.executions).toBe(2);
  });

  it('renews a session that expires while the driver polls a long-running query', async () => {
    const before = { ...emulator.counters };
    emulator.knobs.slowQueryMs = 800;
    const expireDuringPolling = sleep(350).then(() => emulator.expireSessionTokens());
    try {
      const rows = (await readAll(session, series(12_000), { batchSize: 5_000 })).flat();
      expectEachIdOnce(rows, 12_000);
    } finally {
      emulator.knobs.slowQueryMs = undefined;
      await expireDuringPolling;
    }
    expect(emulator.counters.inProgressReplies - before.inProgressReplies).toBeGreaterThanOrEqual(2);
    expect(emulator.counters.renewals - before.renewals).toBe(1);
    expect(emulator.counters.logins - before.logins).toBe(0);
    expect(emulator.counters.executions - before.executions).toBe(1);
  });

  it('renews transparently when the token expires after a set number of queries', async () => {
    const before = { ...emulator.counters };
    emulator.knobs.expireSessionAfterQueries = 2;
    try {
      for (let query = 1; query <= 5; query++) {
        expect((await readAll(session, `SELECT ${query} AS n`)).flat()).toEqual([{ n: query }]);
      }
    } finally {
      emulator.knobs.expireSessionAfterQueries = undefined;
    }
    // Tokens serve queries 1-2, 3-4, 5: two renewals, every query run exactly once.
    expect(emulator.counters.renewals - before.renewals).toBe(2);
    expect(emulator.counters.executions - before.executions).toBe(5);
    expect(emulator.counters.logins - before.logins).toBe(0);
  });

  it('replays a query whose answer was lost instead of running it twice (same requestId)', async () => {
    await emulator.exec('CREATE TABLE audit_log (id INTEGER)');
    const before = { ...emulator.counters };
    // The INSERT runs, then its HTTP answer is lost; the driver re-sends the identical request.
    emulator.failNext({ endpoint: 'query', status: 503, afterHandling: true });
    const answer = (await readAll(session, 'INSERT INTO audit_log VALUES (1)')).flat();
    expect(answer).toEqual([{ 'number of rows inserted': 1 }]);
    expect(emulator.counters.replays - before.replays).toBe(1);
    expect(emulator.counters.executions - before.executions).toBe(1);
    expect((await readAll(session, 'SELECT count(*) AS n FROM audit_log')).flat()).toEqual([{ n: 1 }]);
  });
});
