import { startIntercomSandbox, type IntercomSandbox, type IntercomSandboxOptions } from '../../src/sandbox/intercom/index.ts';
import { sandboxProject, type SandboxProject } from './project-runner.ts';
import { createTestProject, duckdbExec } from './project.ts';

export interface IntercomProjectOptions {
  rows: number;
  /** Connection options besides the token and base URL (`requestsPer10s`, `maxConcurrent`). */
  connection?: { requestsPer10s?: number; maxConcurrent?: number };
  /** The sandbox's limits and knobs. */
  sandbox?: IntercomSandboxOptions;
}

/**
 * A project syncing a DuckDB `customers` table (`cu-0001`, ...) to the Intercom sandbox's contacts,
 * matched on external_id, with the real `intercom-client` and the token given as an env reference.
 */
export async function createIntercomProject(options: IntercomProjectOptions): Promise<SandboxProject<IntercomSandbox>> {
  const project = createTestProject('ebb-intercom-');
  const sandbox = await startIntercomSandbox(options.sandbox);
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [
    `create table customers as select 'cu-' || lpad(i::varchar, 6, '0') as id, 'user' || i || '@example.com' as email, 'Customer ' || i as name
     from range(1, ${options.rows + 1}) t(i)`,
  ]);
  const connection = Object.entries(options.connection ?? {})
    .map(([name, value]) => `, ${name}: ${value}`)
    .join('');
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({
  connections: {
    warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' },
    intercom: { kind: 'intercom', accessToken: env('INTERCOM_TOKEN'), baseUrl: ${JSON.stringify(sandbox.url)}${connection} },
  },
});
`,
  );
  project.write(
    'syncs/contacts.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select id, email, name from customers' },
  key: 'id',
  destination: { connection: 'intercom', object: 'contacts', matchOn: 'external_id' },
  mapping: { external_id: 'id', email: 'email', name: 'name' },
});
`,
  );
  return sandboxProject(project, sandbox, { INTERCOM_TOKEN: sandbox.token }, warehouse);
}
