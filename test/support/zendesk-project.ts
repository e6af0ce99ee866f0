import { startZendeskSandbox, type ZendeskSandbox } from '../../src/sandbox/zendesk/index.ts';
import { sandboxProject, type SandboxProject } from './project-runner.ts';
import { createTestProject, duckdbExec, writeWarehouseConfig } from './project.ts';

export type ZendeskProject = SandboxProject<ZendeskSandbox>;

/**
 * A project mirroring a DuckDB `customers` table (`customer_id` "C-1" … "C-<rows>", `name`) to the
 * Zendesk sandbox's users by external_id, with the real node-zendesk and the token as an env reference.
 */
export async function createZendeskProject(options: { rows: number }): Promise<ZendeskProject> {
  const project = createTestProject('ebb-zendesk-');
  const sandbox = await startZendeskSandbox({});
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [`create table customers as select 'C-' || i as customer_id, 'Customer ' || i as name from range(1, ${options.rows + 1}) t(i)`]);
  const connection = { kind: 'zendesk', baseUrl: sandbox.url, email: sandbox.credentials.email };
  writeWarehouseConfig(project, { name: 'zendesk', source: `{ ...${JSON.stringify(connection)}, apiToken: env('ZENDESK_API_TOKEN') }` });
  project.write(
    'syncs/users.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select * from customers' },
  key: 'customer_id',
  destination: { connection: 'zendesk', object: 'users', matchOn: 'external_id' },
  mapping: { external_id: 'customer_id', name: 'name' },
  mode: 'mirror',
});
`,
  );
  return sandboxProject(project, sandbox, { ZENDESK_API_TOKEN: sandbox.credentials.apiToken }, warehouse);
}
