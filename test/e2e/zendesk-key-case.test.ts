import { afterEach, describe, expect, it } from 'vitest';
import { startZendeskSandbox } from '../../src/sandbox/zendesk/index.ts';
import { sandboxProject, type SandboxProject } from '../support/project-runner.ts';
import { createTestProject, duckdbExec } from '../support/project.ts';

type ZendeskProject = SandboxProject<Awaited<ReturnType<typeof startZendeskSandbox>>>;

let p: ZendeskProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** Twenty customers (external ids "C-1" … "C-20") mirrored to the Zendesk sandbox's users by external_id. */
async function createZendeskProject(): Promise<ZendeskProject> {
  const project = createTestProject('ebb-zendesk-');
  const sandbox = await startZendeskSandbox({});
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [`create table customers as select 'C-' || i as customer_id, 'Customer ' || i as name from range(1, 21) t(i)`]);
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({
  snapshot: { path: '.ebb/snapshot.sqlite' },
  connections: {
    warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' },
    zendesk: { kind: 'zendesk', baseUrl: ${JSON.stringify(sandbox.url)}, email: ${JSON.stringify(sandbox.credentials.email)}, apiToken: env('ZENDESK_API_TOKEN') },
  },
});
`,
  );
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

// Zendesk matches external_id ignoring case, as its sandbox does.
describe('Zendesk users matched on external_id, which Zendesk compares ignoring case', () => {
  it('plans external ids that only change case as updates of the same users, never deletes (mirror)', async () => {
    p = await createZendeskProject();
    expect((await p.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(p.sandbox.records('users')).toHaveLength(20);

    await p.sql(`update customers set customer_id = lower(customer_id)`);
    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('users → zendesk users (mirror, matched on external_id ignoring case)');
    expect(applied.out).toContain('0 to create, 20 to update, 0 to delete');
    expect(p.sandbox.deleted('users')).toEqual([]);
    expect(p.sandbox.records('users').map((user) => user['external_id']).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c-${i + 1}`).sort());
  });

  it('blocks two customers whose external ids differ only in case', async () => {
    p = await createZendeskProject();
    await p.sql(`insert into customers values ('c-7', 'Someone else')`);
    const plan = await p.cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.out + plan.err).toMatch(/DUPLICATE_KEYS.*compared ignoring case as the destination matches external_id.*c-7 \(×2\)/s);
  });
});
