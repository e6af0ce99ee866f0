/**
 * Plan benchmark (issue: Ebb core). For each size: a DuckDB file with N rows × 10 mapped columns, a
 * snapshot holding all of them, 1% of rows then changed. Measures, each in a fresh process so peak RSS
 * is its own: reading the model only, and planning it (read + map + fingerprint + stage + SQL diff).
 *
 *   npx tsx test/bench/plan-bench.ts [--rows 100000,1000000] [--order key|random] [--mode upsert|mirror] [--checks-in-memory N]
 *                                    [--batch N] [--duckdb-memory-limit SIZE] [--repeat N]
 *
 * `--order random` returns the model rows in no particular key order, as a join or aggregate would.
 * `--mode mirror` also looks for deleted records (0.5% of the snapshot's rows are gone from the model).
 * `--checks-in-memory N` caps the snapshot rows whose row checks the plan holds (the store's default: 8M).
 * `--batch N` sets the rows per read batch (the default `readBatchSize`, 1,024, otherwise).
 * `--duckdb-memory-limit SIZE` (e.g. 64MB) bounds DuckDB's buffer pool, which otherwise keeps every block
 * of the file it read: the same `SET memory_limit` a project puts in the DuckDB connection's `init`.
 * `--repeat N` (default 3) reads and plans N times, alternating, and prints the medians: on a shared
 * machine one run of either can be a third off. Peak RSS is the largest of the N; each run's is printed too.
 * `--data-dir DIR` builds the data of each size in DIR/<rows> and keeps it there; a later run with the same
 * DIR reuses it, and skips the build (10 minutes at 10M rows). The data records its order and mode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedSync } from '../../src/core/sync.ts';
import { planSync } from '../../src/engine/planner.ts';
import { openSqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import type { CommitBatch } from '../../src/snapshot/store.ts';
import { duckdbSource } from '../../src/sources/duckdb/index.ts';
import { runDuckdbStatements } from '../../src/sources/duckdb/run-statements.ts';

const COLUMNS = ['email', 'first_name', 'last_name', 'company', 'plan', 'score', 'lifetime_value', 'signed_up_at', 'vip', 'country'];

const option = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const MODE = (option('--mode') ?? 'upsert') as ResolvedSync['mode'];
const BATCH = Number(option('--batch') ?? 1_024);
const DUCKDB_MEMORY_LIMIT = option('--duckdb-memory-limit');
/** Flags every child phase gets again. */
const SHARED_FLAGS = ['--mode', MODE, '--batch', String(BATCH), ...(DUCKDB_MEMORY_LIMIT ? ['--duckdb-memory-limit', DUCKDB_MEMORY_LIMIT] : [])];

function benchSync(): ResolvedSync {
  return {
    name: 'bench',
    file: 'bench.sync.ts',
    source: { connection: 'warehouse', query: 'select * from model' },
    key: 'id',
    destination: { connection: 'crm', object: 'contacts', matchOn: 'external_id', matchIgnoresCase: false },
    mapping: [{ to: 'external_id', from: 'id', sensitive: false }, ...COLUMNS.slice(0, 9).map((c) => ({ to: c, from: c, sensitive: false }))],
    mode: MODE,
    deleteGuard: { maxDeletePercent: 20, blockWhenModelEmpty: true },
    dependsOn: [],
    readBatchSize: BATCH,
    readTimeoutMs: 3_600_000,
    definitionHash: 'bench',
  };
}

async function generate(dir: string, rows: number, order: string): Promise<void> {
  await runDuckdbStatements(join(dir, 'warehouse.duckdb'), [
    `create table model as select 'c' || lpad(i::varchar, 9, '0') as id, 'user' || i || '@example.com' as email,
      'First' || (i % 5000) as first_name, 'Last' || (i % 7919) as last_name, 'Company ' || (i % 1000) as company,
      ['free','pro','team','enterprise'][1 + i % 4] as plan, (i % 100)::integer as score,
      ((i % 100000) / 100.0)::decimal(12,2) as lifetime_value, timestamp '2024-01-01' + to_seconds(i) as signed_up_at,
      i % 11 = 0 as vip, ['FR','DE','US','GB','JP'][1 + i % 5] as country from range(1, ${rows + 1}) t(i)
      ${order === 'random' ? 'order by hash(i)' : ''}`,
  ]);
}

const openSource = (dir: string) => () =>
  duckdbSource.open({ path: 'warehouse.duckdb', init: DUCKDB_MEMORY_LIMIT ? [`SET memory_limit = '${DUCKDB_MEMORY_LIMIT}'`] : [] }, { rootDir: dir });

/** The first plan (empty snapshot: every row a create), committed as if delivered; then 1% of rows change. */
async function phaseSetup(dir: string): Promise<object> {
  const store = openSqliteSnapshotStore(join(dir, 'snapshot.sqlite'));
  const sync = benchSync();
  const started = performance.now();
  const plan = await planSync(sync, { store, openSource: openSource(dir), toolVersion: 'bench' });
  const firstPlan = { ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  let serial = plan.base.serial;
  let delivered: CommitBatch['delivered'] = [];
  const commit = async () => {
    serial = await store.commitBatch({ sync: 'bench', runId: 'setup', lineage: plan.base.lineage, expectedSerial: serial, definitionHash: 'bench', delivered, deleted: [], failed: [] });
    delivered = [];
  };
  for await (const c of plan.changes) {
    delivered.push({ key: c.key, fingerprint: c.fingerprint!, payload: c.after!, remoteId: `r-${c.key}` });
    if (delivered.length === 20_000) await commit();
  }
  await commit();
  plan.changes.release();
  await store.close();
  // 1% of rows change (every 100th), spread over the key range.
  await runDuckdbStatements(join(dir, 'warehouse.duckdb'), [
    `update model set score = score + 1, plan = 'changed' where hash(id) % 100 = 0`,
    ...(MODE === 'mirror' ? [`delete from model where hash(id) % 200 = 1`] : []),
  ]);
  return firstPlan;
}

async function phaseRead(dir: string): Promise<object> {
  const started = performance.now();
  const session = await openSource(dir)();
  let rows = 0;
  for await (const batch of session.read('select * from model', { batchSize: BATCH })) rows += batch.length;
  await session.close();
  return { rows, ms: performance.now() - started };
}

async function phasePlan(dir: string, checksInMemory: number | undefined): Promise<object> {
  const store = openSqliteSnapshotStore(join(dir, 'snapshot.sqlite'), checksInMemory === undefined ? {} : { checksInMemory });
  const started = performance.now();
  const plan = await planSync(benchSync(), { store, openSource: openSource(dir), toolVersion: 'bench' });
  const ms = performance.now() - started;
  await store.close();
  return { rows: plan.modelRows, ms, changes: plan.changes.count, errored: plan.errored };
}

function child(phase: string, dir: string, extra: string[] = []): { ms: number; rows: number; changes?: number; maxRssMb: number } {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--phase', phase, '--dir', dir, ...SHARED_FLAGS, ...extra], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; rows: number; changes?: number; maxRssMb: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const phase = arg('--phase');
  if (phase) {
    const dir = arg('--dir')!;
    const checks = arg('--checks-in-memory');
    const result = phase === 'setup' ? await phaseSetup(dir) : phase === 'read' ? await phaseRead(dir) : await phasePlan(dir, checks === undefined ? undefined : Number(checks));
    process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
    return;
  }
  const sizes = (arg('--rows') ?? '100000,1000000').split(',').map(Number);
  const order = arg('--order') ?? 'key';
  const checks = arg('--checks-in-memory');
  const repeat = Number(arg('--repeat') ?? 3);
  console.log(
    `${MODE} sync; model rows in ${order} order; read batches of ${BATCH} rows; DuckDB memory_limit ${DUCKDB_MEMORY_LIMIT ?? "DuckDB's default (80% of RAM)"}` +
      `${checks === undefined ? '' : `; row checks of at most ${checks} snapshot rows in memory`}`,
  );
  console.log('rows       read s   plan s   ratio   read RSS MB   plan RSS MB   changes');
  const dataDir = arg('--data-dir');
  for (const rows of sizes) {
    const dir = dataDir ? join(dataDir, `${rows}-${order}-${MODE}`) : mkdtempSync(join(tmpdir(), 'ebb-bench-'));
    try {
      const built = join(dir, 'built.json');
      let first: ReturnType<typeof child> | undefined;
      if (!existsSync(built)) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        await generate(dir, rows, order);
        first = child('setup', dir);
        writeFileSync(built, JSON.stringify(first));
      }
      const reads: ReturnType<typeof child>[] = [];
      const plans: ReturnType<typeof child>[] = [];
      for (let run = 0; run < repeat; run += 1) {
        reads.push(child('read', dir));
        plans.push(child('plan', dir, checks === undefined ? [] : ['--checks-in-memory', checks]));
      }
      const read = { ms: median(reads.map((r) => r.ms)), maxRssMb: Math.max(...reads.map((r) => r.maxRssMb)) };
      const plan = { ms: median(plans.map((p) => p.ms)), maxRssMb: Math.max(...plans.map((p) => p.maxRssMb)), changes: plans[0]!.changes };
      console.log(
        `${String(rows).padEnd(10)} ${(read.ms / 1000).toFixed(2).padStart(6)}   ${(plan.ms / 1000).toFixed(2).padStart(6)}   ${(plan.ms / read.ms).toFixed(2).padStart(5)}   ${read.maxRssMb.toFixed(0).padStart(11)}   ${plan.maxRssMb.toFixed(0).padStart(11)}   ${plan.changes}`,
      );
      if (repeat > 1) {
        const seconds = (runs: { ms: number }[]) => runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ');
        const megabytes = (runs: { maxRssMb: number }[]) => runs.map((r) => r.maxRssMb.toFixed(0)).join(', ');
        console.log(`           runs: read ${seconds(reads)} s, ${megabytes(reads)} MB; plan ${seconds(plans)} s, ${megabytes(plans)} MB`);
      }
      // Not a target, but what a first sync costs: a plan holds its changes, and here every row is one.
      if (first) console.log(`           first plan (empty snapshot, every row a create): ${(first.ms / 1000).toFixed(2)} s, peak RSS ${first.maxRssMb.toFixed(0)} MB`);
    } finally {
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
