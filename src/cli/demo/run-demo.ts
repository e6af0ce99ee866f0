import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { builtInKinds } from '../registry.ts';
import { connectionOptions, loadProject } from '../../config/index.ts';
import { formatDiagnostic } from '../../core/diagnostics.ts';
import type { RunningSandbox } from '../../sandbox/sandbox.ts';
import type { CliIo } from '../io.ts';
import { runCli } from '../main.ts';
import { SANDBOX_SECRETS, sandboxStarters } from '../sandboxes.ts';
import { buildDemoWarehouse, changeDemoWarehouse, DEMO_CHANGES, DEMO_SIZES } from './warehouse.ts';


/**
 * The whole story on one machine with no credentials: build a warehouse, start the destinations'
 * sandboxes, plan, apply, change the warehouse, plan only the deltas, apply them.
 */
export async function runDemo(io: CliIo, rootDir: string): Promise<number> {
  const env = { ...SANDBOX_SECRETS, ...io.env };
  const demoIo: CliIo = { ...io, env };
  const step = (text: string) => io.out(`\n━━ ${text}\n`);

  step(`1. Building the demo warehouse: ${DEMO_SIZES.customers} customers, ${DEMO_SIZES.companies} companies, ${DEMO_SIZES.deals} deals (DuckDB, .ebb/demo.duckdb)`);
  await buildDemoWarehouse(join(rootDir, '.ebb/demo.duckdb'));
  // A fresh story every time: the sandboxes start empty, so the snapshot must too.
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(rootDir, `.ebb/snapshot.sqlite${suffix}`), { force: true });

  const loaded = await loadProject(rootDir, builtInKinds);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
    return 1;
  }
  const sandboxes: RunningSandbox[] = [];
  try {
    step('2. Starting the local sandboxes of the destinations');
    for (const [name, connection] of Object.entries(loaded.config.connections)) {
      const start = sandboxStarters[connection.kind];
      const baseUrl = connectionOptions(connection)['baseUrl'] ?? connectionOptions(connection)['instanceUrl'];
      if (!start || typeof baseUrl !== 'string') continue;
      const sandbox = await start({ port: Number(new URL(baseUrl).port) });
      sandboxes.push(sandbox);
      io.out(`${name}: ${connection.kind} sandbox on ${sandbox.url}`);
    }

    step('3. ebb plan --out .ebb/demo.plan.json — every record is new, so everything is a create (first 3 per sync shown)');
    await runCli(['plan', '--max-changes', '3', '--out', '.ebb/demo.plan.json'], demoIo);

    step('4. ebb apply .ebb/demo.plan.json — paced under each destination\'s rate limit, committed batch by batch');
    if ((await runCli(['apply', '.ebb/demo.plan.json'], demoIo)) !== 0) return fail(io);

    step('5. The warehouse changes:');
    for (const sql of DEMO_CHANGES) io.out(`   ${sql}`);
    await changeDemoWarehouse(join(rootDir, '.ebb/demo.duckdb'));

    step('6. ebb plan --out .ebb/demo.plan.json — only the deltas, field by field (the phone is sensitive: masked)');
    await runCli(['plan', '--out', '.ebb/demo.plan.json'], demoIo);

    step('7. ebb apply .ebb/demo.plan.json — exactly the plan just reviewed, nothing re-read');
    if ((await runCli(['apply', '.ebb/demo.plan.json'], demoIo)) !== 0) return fail(io);

    step('8. ebb status');
    await runCli(['status', '--offline'], demoIo);
  } finally {
    await Promise.all(sandboxes.map((s) => s.close()));
  }
  io.out(`
Done. The sandboxes are stopped; the snapshot in .ebb/snapshot.sqlite remembers what each destination holds.
Where to look next:
  npm run ebb -- plan --detailed-exitcode       nothing to do now (exit 0), found without calling any destination
  npm run ebb -- status                         per sync: last run, records, failed rows, pending changes
  npm run ebb -- runs                           the run history
  npm run ebb -- errors hubspot-contacts        rows a destination rejected, and why
  npm run ebb -- sandbox hubspot --port 4010    keep a sandbox running to rehearse your own syncs
`);
  return 0;
}

function fail(io: CliIo): number {
  io.err('The demo stopped because an apply failed: see the messages above.');
  return 1;
}
