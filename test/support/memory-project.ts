import { expect } from 'vitest';
import { startMemorySandbox, type MemorySandbox } from '../../src/sandbox/memory/index.ts';
import { createTestProject, duckdbExec, type TestProject } from './project.ts';

export interface MemoryProject {
  project: TestProject;
  sandbox: MemorySandbox;
  warehouse: string;
  /** Runs SQL against the warehouse's `customers` table. */
  sql(...statements: string[]): Promise<void>;
  /** Records in the sandbox by external_id. */
  destination(): Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export interface MemoryProjectOptions {
  rows: number;
  mode?: 'upsert' | 'update' | 'create' | 'mirror';
  /** Extra options for the memory connection (budget, batch size, timeout). */
  connection?: Record<string, unknown>;
  deletes?: { maxDeletePercent?: number; blockWhenModelEmpty?: boolean };
  /** Extra fields of the `contacts` sync, as TypeScript source (e.g. `schedule: { every: '1h' }`). */
  contacts?: string;
  /** More sync files: name → body of defineSync({...}). */
  extraSyncs?: Record<string, string>;
  /** Extra top-level fields of ebb.config.ts, as TypeScript source (scheduler, alerts, retention, logging). */
  config?: string;
}

/** A project syncing a DuckDB `customers` table to the memory sandbox's `contacts`. */
export async function createMemoryProject(options: MemoryProjectOptions): Promise<MemoryProject> {
  const project = createTestProject();
  const sandbox = await startMemorySandbox();
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [
    `create table customers as select 'cust-' || lpad(i::varchar, 6, '0') as customer_id, 'user' || i || '@example.com' as email,
       'First' || i as first_name, (i % 7) * 10.5 as score, i % 3 = 0 as vip from range(1, ${options.rows + 1}) t(i)`,
  ]);
  const connection = { kind: 'memory', baseUrl: sandbox.url, ...options.connection };
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
void env;
export default defineConfig({
  snapshot: { path: '.ebb/snapshot.sqlite' },
  connections: {
    warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' },
    crm: ${JSON.stringify(connection)},
  },
  ${options.config ?? ''}
});
`,
  );
  project.write(
    'syncs/contacts.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select * from customers' },
  key: 'customer_id',
  destination: { connection: 'crm', object: 'contacts', matchOn: 'external_id' },
  mapping: { external_id: 'customer_id', email: 'email', firstname: 'first_name', score: 'score', vip: { from: 'vip', sensitive: true } },
  mode: '${options.mode ?? 'upsert'}',
  ${options.deletes ? `deletes: ${JSON.stringify(options.deletes)},` : ''}
  ${options.contacts ?? ''}
});
`,
  );
  for (const [name, body] of Object.entries(options.extraSyncs ?? {})) {
    project.write(`syncs/${name}.sync.ts`, `import { defineSync } from 'ebb';\nexport default defineSync({\n${body}\n});\n`);
  }
  return {
    project,
    sandbox,
    warehouse,
    sql: (...statements) => duckdbExec(warehouse, statements),
    destination: () => new Map(sandbox.records('contacts').map((r) => [String(r.fields['external_id']), r.fields])),
    async close() {
      await sandbox.close();
      project.cleanup();
    },
  };
}

/**
 * The sandbox holds every one of the model's `rows` customers, each created exactly once: whatever was
 * sent twice (after a crash, a stop, a full disk) was an update, never a second create.
 */
export function expectEveryCustomerCreatedOnce(p: MemoryProject, rows: number): void {
  const records = p.destination();
  expect(records.size).toBe(rows);
  expect(records.get(`cust-${String(rows).padStart(6, '0')}`)).toMatchObject({ email: `user${rows}@example.com`, firstname: `First${rows}` });
  const creates = Object.values(p.sandbox.stats().createsPerKey);
  expect(creates).toHaveLength(rows);
  expect(creates.every((n) => n === 1)).toBe(true);
}
