/**
 * Salesforce apply benchmark: N changed (new) Accounts pushed through the engine (planSyncs + applyPlan)
 * and the real jsforce to the Salesforce sandbox, once through sObject Collections (bulkThreshold above
 * N: 200 records per call, paced at the connector's 25 calls/s) and once through Bulk API 2.0 (the
 * default 10,000 threshold: one ingest job per 10,000 rows). Each mode gets a fresh snapshot and sandbox.
 * Reports API calls (sandbox count and the run's own count), wall time and rows delivered.
 *
 *   npx tsx test/bench/salesforce-bench.ts [--rows 50000] [--modes collections,bulk] [--poll-ms 1000]
 *
 * The sandbox finishes a bulk job on its third status read whatever the time, so the bulk wall time
 * is mostly the connector's poll backoff (--poll-ms, the first interval; the connector's default is 1 s).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createSalesforceProject, SYNC } from '../support/salesforce-project.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '50000' }, modes: { type: 'string', default: 'collections,bulk' }, 'poll-ms': { type: 'string' } },
});
const rows = Number(values.rows);
const pollMs = values['poll-ms'] === undefined ? undefined : Number(values['poll-ms']);
const modes = values.modes.split(',') as Array<'collections' | 'bulk'>;

const CEILING_ROWS_PER_S = 25 * 200;

// Load the client before timing: a long-running scheduler has it loaded already.
await import('jsforce');

async function runMode(mode: 'collections' | 'bulk'): Promise<string[]> {
  const p = await createSalesforceProject({
    rows,
    ...(mode === 'collections' ? { bulkThreshold: rows + 1 } : {}),
    ...(pollMs !== undefined ? { bulkPollIntervalMs: pollMs } : {}),
    // Enough allocation that the daily budget never binds: this measures the paths, not the quota.
    dailyAllocation: 1_000_000,
  });
  try {
    const engine = await p.engine();
    const planStarted = performance.now();
    const plan = await engine.plan();
    const planMs = performance.now() - planStarted;
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    const result = (await engine.apply(plan)).syncs[0]!;
    const applyMs = performance.now() - started;
    const stats = p.sandbox.stats();

    const accounts = p.accounts();
    const creates = [...p.sandbox.createsPerKey('Account').values()];
    const replanned = (await engine.plan()).syncs[0]!.changes.count;
    const callsAfterReplan = p.sandbox.stats().apiCalls;
    const endpoints = Object.entries(stats.requests).map(([endpoint, n]) => `${endpoint} ×${n}`).join(', ');
    const ceiling = mode === 'collections' ? `; pacing ceiling ${CEILING_ROWS_PER_S} rows/s (25 calls/s × 200), reached ${((result.delivered / applyMs) * 100_000 / CEILING_ROWS_PER_S).toFixed(1)}%` : '';
    const sizes = mode === 'bulk' ? `bulk jobs ${stats.bulkJobSizes.length} of [${stats.bulkJobSizes.join(', ')}] rows` : `collection calls ${stats.collectionSizes.length}, every one full but one: ${stats.collectionSizes.filter((n) => n !== 200).length <= 1 ? 'yes' : 'no'}`;
    return [
      `— ${mode}${mode === 'bulk' ? ` (bulkThreshold default 10,000, first poll interval ${pollMs ?? 1000} ms)` : ` (bulkThreshold ${rows + 1})`}`,
      `  plan ${(planMs / 1000).toFixed(2)} s for ${plan.syncs[0]!.changes.count} changes; load average ${loadBefore.toFixed(2)} at apply start`,
      `  apply ${result.status}: ${result.delivered} delivered, ${result.failed} failed of ${result.planned} in ${(applyMs / 1000).toFixed(2)} s → ${((result.delivered / applyMs) * 1000).toFixed(0)} rows/s${ceiling}`,
      `  API calls: sandbox counted ${stats.apiCalls}, the run counted ${result.apiCalls}; ${(result.delivered / Math.max(1, stats.apiCalls)).toFixed(0)} rows per call; 403s ${stats.limitExceeded}`,
      `  ${sizes}`,
      `  endpoints: ${endpoints}`,
      `  read back: ${accounts.size} Accounts, creates per key max ${Math.max(...creates)}; snapshot rows ${await engine.store.countRows(SYNC)}; re-plan ${replanned} changes, ${callsAfterReplan - stats.apiCalls} calls`,
    ];
  } finally {
    await p.close();
  }
}

const lines = [`Salesforce apply: ${rows} new Accounts, machine ${cpus().length} cores; connector defaults 25 calls/s, 10 in flight`];
for (const mode of modes) lines.push(...(await runMode(mode)));
lines.push(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (sandbox, engine and warehouse in one process)`);
console.log(lines.join('\n'));
