import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDuckdbStatements } from '../../src/sources/duckdb/run-statements.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A throwaway Ebb project: syncs/ in a temp folder whose node_modules/ebb points at this checkout, so
 * sync files `import { defineSync } from 'ebb'` exactly as a user's would.
 */
export interface TestProject {
  dir: string;
  write(relativePath: string, content: string): void;
  path(relativePath: string): string;
  cleanup(): void;
}

export function createTestProject(prefix = 'ebb-test-'): TestProject {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'ebb'), 'dir');
  return {
    dir,
    path: (p) => join(dir, p),
    write(relativePath, content) {
      const file = join(dir, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs SQL against a DuckDB file (the test's warehouse), closing it so the source can open it. */
export const duckdbExec = runDuckdbStatements;

/**
 * Writes the project's syncs/ebb.config.ts: the DuckDB file `warehouse.duckdb` as connection
 * `warehouse`, the snapshot in .ebb/snapshot.sqlite, and one destination connection `name`, given as
 * TypeScript source (so it may call `env(...)`).
 */
export function writeWarehouseConfig(project: TestProject, destination: { name: string; source: string }): void {
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({
  snapshot: { path: '.ebb/snapshot.sqlite' },
  connections: {
    warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' },
    ${destination.name}: ${destination.source},
  },
});
`,
  );
}
