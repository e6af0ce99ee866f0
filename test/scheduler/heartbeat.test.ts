import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MemoryProject } from '../support/memory-project.ts';
import { ManualClock } from './support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from './support/scheduled-project.ts';

let p: MemoryProject | undefined;
let h: Harness | undefined;
let monitor: Server | undefined;
afterEach(async () => {
  await h?.close();
  await p?.close();
  await new Promise<void>((resolve) => (monitor ? monitor.close(() => resolve()) : resolve()));
  p = h = monitor = undefined;
});

const T0 = Date.parse('2031-03-01T09:00:00.000Z');

/** A dead-man's-switch monitor (healthchecks.io style) that counts GET pings, answering `status`. */
async function startMonitor(status: () => number) {
  const pings: string[] = [];
  monitor = createServer((req, res) => {
    pings.push(`${req.method} ${req.url}`);
    res.writeHead(status()).end('OK');
  });
  await new Promise<void>((resolve) => monitor!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(monitor.address() as AddressInfo).port}/ping/abc-token`, pings };
}

describe('heartbeat URL (dead-man\'s switch)', () => {
  it('is pinged with GET after ticks, at most every heartbeatEvery, and a failing monitor never stops the scheduler', async () => {
    let status = 200;
    const hb = await startMonitor(() => status);
    p = await createScheduledProject({ rows: 3, contacts: "schedule: { every: '1h' },", config: "scheduler: { heartbeatUrl: env('HEARTBEAT_URL'), heartbeatEvery: '1m' }," });
    const clock = new ManualClock(T0);
    h = await openHarness(p.project.dir, clock, { env: { HEARTBEAT_URL: hb.url } });
    const tick = async (at: number) => {
      clock.set(at);
      await h!.scheduler.tick();
      await h!.scheduler.idle();
    };
    await tick(T0);
    expect(hb.pings).toEqual(['GET /ping/abc-token']);
    await tick(T0 + 30_000);
    expect(hb.pings).toHaveLength(1);
    status = 500;
    await tick(T0 + 60_000);
    expect(hb.pings).toHaveLength(2);
    const gone = monitor!;
    monitor = undefined;
    await new Promise<void>((resolve) => {
      gone.close(() => resolve());
      gone.closeAllConnections();
    });
    await tick(T0 + 120_000); // the monitor is gone: the tick still completes
    expect(hb.pings).toHaveLength(2);
    expect(h.scheduler.isHealthy(T0 + 120_000)).toBe(true);
    expect(p.destination().size).toBe(3);
  });
});
