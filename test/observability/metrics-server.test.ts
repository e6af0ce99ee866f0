import { register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { SchedulerMetrics } from '../../src/observability/metrics.ts';
import { startObservabilityServer, type ObservabilityServer } from '../../src/observability/server.ts';
import type { MemoryProject } from '../support/memory-project.ts';
import { ManualClock } from '../scheduler/support/manual-clock.ts';
import { createScheduledProject, openHarness, type Harness } from '../scheduler/support/scheduled-project.ts';
import { parsePrometheusText } from './prometheus-text.ts';

let p: MemoryProject | undefined;
let h: Harness | undefined;
let server: ObservabilityServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  await p?.close();
  p = h = server = undefined;
});

const T0 = Date.parse('2031-03-01T09:00:00.000Z');

describe('/metrics and /healthz', () => {
  it('serve Prometheus text with per-sync lag, success time, rows, backlog and per-account calls and 429s', async () => {
    p = await createScheduledProject({ rows: 20, connection: { maxBatchSize: 10 }, contacts: "schedule: { every: '1h' }," });
    p.sandbox.knobs.rejectKeys['cust-000004'] = 'invalid email';
    p.sandbox.knobs.rateLimitNext = 1;
    p.sandbox.knobs.retryAfterMs = 20;
    const clock = new ManualClock(T0);
    h = await openHarness(p.project.dir, clock);
    server = await startObservabilityServer({ host: '127.0.0.1', port: 0, registry: h.metrics.registry, health: () => ({ ok: h!.scheduler.isHealthy() }) });

    expect((await fetch(`${server.url}/healthz`)).status).toBe(503); // never ticked yet
    await h.scheduler.tick();
    await h.scheduler.idle();
    clock.set(T0 + 90_000);
    await h.scheduler.tick(); // the timer evaluation sees the lag grow

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const metrics = parsePrometheusText(await response.text());
    const sync = { sync: 'contacts' };
    expect(metrics.types.get('ebb_sync_rows_applied_total')).toBe('counter');
    expect(metrics.types.get('ebb_sync_delivery_lag_seconds')).toBe('gauge');
    expect(metrics.value('ebb_sync_rows_planned_total', sync)).toBe(20);
    expect(metrics.value('ebb_sync_rows_applied_total', sync)).toBe(19);
    expect(metrics.value('ebb_sync_rows_failed_total', sync)).toBe(1);
    expect(metrics.value('ebb_sync_backlog', sync)).toBe(1);
    expect(metrics.value('ebb_sync_delivery_lag_seconds', sync)).toBe(90);
    expect(metrics.value('ebb_sync_last_success_timestamp_seconds', sync)).toBe(T0 / 1000);
    expect(metrics.value('ebb_sync_runs_total', { sync: 'contacts', outcome: 'partial' })).toBe(1);
    const account = metrics.samples.find((s) => s.name === 'ebb_destination_api_calls_total')!.labels['account']!;
    expect(account).toMatch(/^memory:[0-9a-f]{12}$/);
    expect(metrics.value('ebb_destination_api_calls_total', { account })).toBe(3); // two batches, one of them retried after a 429
    expect(metrics.value('ebb_destination_rate_limited_total', { account })).toBe(1);
    expect(metrics.value('ebb_scheduler_last_tick_timestamp_seconds')).toBe((T0 + 90_000) / 1000);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    clock.set(T0 + 90_000 + 31_000); // no tick for longer than max(3 ticks, 30 s)
    const stalled = await fetch(`${server.url}/healthz`);
    expect(stalled.status).toBe(503);
    expect(await stalled.json()).toEqual({ ok: false });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('fills ebb_alert_state from the recorded alerts at start: an alert firing across a restart keeps its series', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "schedule: { every: '1h' }," });
    p.sandbox.knobs.failNext = 1_000_000;
    const clock = new ManualClock(T0);
    const alertState = async (harness: Harness) => parsePrometheusText(await harness.metrics.text()).value('ebb_alert_state', { sync: 'contacts', rule: 'apply-failed' });
    const before = await openHarness(p.project.dir, clock);
    await before.scheduler.tick();
    await before.scheduler.idle();
    expect(await alertState(before)).toBe(2);
    await before.close();

    h = await openHarness(p.project.dir, clock);
    clock.set(T0 + 60_000);
    await h.scheduler.tick(); // the sync is not due: nothing this process does changes the alert
    await h.scheduler.idle();
    expect(await alertState(h)).toBe(2);
  });

  it('uses a registry per scheduler, never prom-client\'s global one, and importing Ebb registers nothing', async () => {
    const a = new SchedulerMetrics([]);
    const b = new SchedulerMetrics([]);
    expect(a.registry).not.toBe(b.registry);
    expect(await register.metrics()).not.toContain('ebb_');
    // Default process metrics parse too.
    const parsed = parsePrometheusText(await a.text());
    expect(parsed.types.get('process_cpu_user_seconds_total')).toBe('counter');
  });

  it('explains a port already in use', async () => {
    const first = await startObservabilityServer({ host: '127.0.0.1', port: 0, registry: new SchedulerMetrics([], { processMetrics: false }).registry, health: () => ({ ok: true }) });
    server = first;
    await expect(startObservabilityServer({ host: '127.0.0.1', port: first.port, registry: new SchedulerMetrics([], { processMetrics: false }).registry, health: () => ({ ok: true }) })).rejects.toThrow(
      `port ${first.port} is in use: set scheduler.metricsPort in syncs/ebb.config.ts to a free port (0 picks one)`,
    );
  });
});
