/**
 * Intercom apply benchmark (DESIGN.md: apply at ≥ 95% of the destination's rate ceiling, zero 429s when
 * the limit is known). Intercom has no batch endpoint: every record is a search and a create, so the
 * ceiling is in requests (the limit per 10 s window), and a batch of 10 records is 20 requests. Pushes N
 * new contacts through the engine and the real intercom-client to the Intercom sandbox limited to R
 * requests per 10 s, with the connection configured with `requestsPer10s: R`.
 *
 *   npx tsx test/bench/intercom-apply-bench.ts [--rows 2000] [--requests-per-10s 1600] [--concurrency 10]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createIntercomProject } from '../support/intercom-project.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '2000' }, 'requests-per-10s': { type: 'string', default: '1600' }, concurrency: { type: 'string' } },
});
const rows = Number(values.rows);
const requestsPer10s = Number(values['requests-per-10s']);
const maxConcurrent = values.concurrency === undefined ? undefined : Number(values.concurrency);
const ceilingPerSecond = requestsPer10s / 10;

const p = await createIntercomProject({
  rows,
  connection: { requestsPer10s, ...(maxConcurrent !== undefined ? { maxConcurrent } : {}) },
  sandbox: { requestsPer10s },
});
try {
  const engine = await p.engine();
  const plan = await engine.plan();
  await import('intercom-client'); // loaded, as in a long-running scheduler, so its import is not billed to the pace
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const result = (await engine.apply(plan)).syncs[0]!;
  const elapsedMs = performance.now() - started;
  const stats = p.sandbox.stats();
  const requestsPerSecond = (stats.requests / elapsedMs) * 1000;
  const share = requestsPerSecond / ceilingPerSecond;
  const createdOnce = Object.values(stats.createsPerKey.contacts).every((n) => n === 1);
  console.log(
    [
      `Intercom apply: ${rows} contacts, sandbox and connection at ${requestsPer10s} requests / 10 s, maxConcurrent ${maxConcurrent ?? 'default (10)'}`,
      `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
      `status ${result.status}: ${result.delivered} delivered, ${result.failed} failed; every contact created once: ${createdOnce ? 'yes' : 'NO'}`,
      `requests ${stats.requests} (engine counted ${result.apiCalls}): ${JSON.stringify(stats.byEndpoint)}`,
      `apply wall time ${(elapsedMs / 1000).toFixed(2)} s → ${requestsPerSecond.toFixed(1)} requests/s = ${(share * 100).toFixed(1)}% of the ${ceilingPerSecond} requests/s ceiling (${((result.delivered / elapsedMs) * 1000).toFixed(1)} records/s)`,
      `429s ${stats.rateLimited}; peak requests in flight ${stats.peakInFlight}`,
      `target ≥ 95% with zero 429s: ${share >= 0.95 && stats.rateLimited === 0 ? 'MET' : 'NOT MET'}`,
    ].join('\n'),
  );
} finally {
  await p.close();
}
