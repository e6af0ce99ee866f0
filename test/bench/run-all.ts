/**
 * Runs every benchmark in turn with its default sizes and prints their figures (`npm run bench`).
 * Each runs in its own process, one after the other, so they never compete for the machine.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['plan-bench.ts', 'hubspot-apply-bench.ts', 'intercom-apply-bench.ts', 'salesforce-bench.ts'];

for (const file of BENCHMARKS) {
  console.log(`\n━━ ${file}`);
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], { stdio: 'inherit' });
}
