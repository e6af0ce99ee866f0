/**
 * HubSpot apply benchmark (DESIGN.md: apply at ≥ 95% of the destination's rate ceiling, zero 429s when
 * the limit is known, every batch full but the last). Pushes N new contacts through the engine and the
 * real @hubspot/api-client to the HubSpot sandbox limited to 100 requests per rolling 10 s, with the
 * connection configured with `requestsPer10s: 100`. Ceiling = 100 requests × 100 records / 10 s.
 *
 *   npx tsx test/bench/hubspot-apply-bench.ts [--rows 20000] [--concurrency 5]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { EngineEvent } from '../../src/engine/events.ts';
import { TARGET_UTILISATION } from '../../src/engine/pacer.ts';
import { createHubspotProject } from '../support/hubspot-project.ts';

const REQUESTS_PER_10S = 100;
const BATCH = 100;
const UPSERT = 'POST /crm/v3/objects/contacts/batch/upsert';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '20000' }, concurrency: { type: 'string' } } });
const rows = Number(values.rows);
const maxConcurrent = values.concurrency === undefined ? undefined : Number(values.concurrency);
const ceilingPerSecond = (REQUESTS_PER_10S * BATCH) / 10;

const p = await createHubspotProject({
  rows,
  requestsPer10s: REQUESTS_PER_10S,
  ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
  sandbox: { requestsPer10s: REQUESTS_PER_10S },
});
try {
  const engine = await p.engine();
  const plan = await engine.plan();
  // Warm the client library so its first import is not billed to the pace (a long-running scheduler has it loaded).
  await import('@hubspot/api-client');

  const stamps: { at: number; event: EngineEvent }[] = [];
  const record = engine.events.push.bind(engine.events);
  engine.events.push = (...events: EngineEvent[]) => {
    for (const event of events) stamps.push({ at: performance.now(), event });
    return record(...events);
  };
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const result = (await engine.apply(plan)).syncs[0]!;
  const elapsedMs = performance.now() - started;
  const loadAfter = loadavg()[0]!;

  const stats = p.sandbox.stats();
  const sizes = stats.batchSizes[UPSERT] ?? [];
  const committed = stamps.filter((s) => s.event.type === 'batch-committed').map((s) => s.at);
  const gaps = committed.slice(1).map((at, i) => at - committed[i]!);
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const firstToLastMs = (committed.at(-1) ?? 0) - (committed[0] ?? 0);
  const perSecond = (result.delivered / elapsedMs) * 1000;
  // Steady state: the records of every batch after the first, over the span between the first and last acknowledgement.
  const steadyPerSecond = committed.length > 1 ? (((committed.length - 1) * BATCH) / firstToLastMs) * 1000 : Number.NaN;
  const spacingMs = Math.ceil(10_000 / (REQUESTS_PER_10S * TARGET_UTILISATION));
  const pct = (x: number) => `${((x / ceilingPerSecond) * 100).toFixed(1)}%`;
  const fullButLast = sizes.slice(0, -1).every((size) => size === BATCH);

  const lines = [
    `HubSpot apply: ${rows} contacts, sandbox and connection at ${REQUESTS_PER_10S} requests / 10 s, maxConcurrent ${maxConcurrent ?? 'default (5)'}`,
    `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    `status ${result.status}: ${result.delivered} delivered, ${result.failed} failed`,
    `apply wall time ${(elapsedMs / 1000).toFixed(2)} s → ${perSecond.toFixed(0)} records/s = ${pct(perSecond)} of the ${ceilingPerSecond} records/s ceiling`,
    `steady state (first → last acknowledgement) ${steadyPerSecond.toFixed(0)} records/s = ${pct(steadyPerSecond)}`,
    `calls ${stats.totalRequests} (engine counted ${result.apiCalls}); 429s ${stats.rateLimited.TEN_SECONDLY_ROLLING} rolling, ${stats.rateLimited.DAILY} daily`,
    `batches ${sizes.length}, every one full but the last: ${fullButLast ? 'yes' : `no (${sizes.filter((s) => s !== BATCH).length} short)`}`,
    `gap between acknowledgements: median ${sortedGaps[Math.floor(sortedGaps.length / 2)]?.toFixed(1)} ms, p95 ${sortedGaps[Math.floor(sortedGaps.length * 0.95)]?.toFixed(1)} ms, max ${sortedGaps.at(-1)?.toFixed(1)} ms (pacer spacing ${spacingMs} ms)`,
    `stalls (gap > 2× spacing) at acknowledgement #: ${gaps.flatMap((gap, i) => (gap > 2 * spacingMs ? [`${i + 1} (${gap.toFixed(0)} ms)`] : [])).join(', ') || 'none'}`,
    `target ≥ 95% with zero 429s: ${perSecond / ceilingPerSecond >= 0.95 && stats.statuses['429'] === undefined ? 'MET' : 'NOT MET'}`,
  ];
  console.log(lines.join('\n'));
} finally {
  await p.close();
}
