import { afterEach, describe, expect, it } from 'vitest';
import { startIntercomSandbox, type IntercomSandbox } from '../../src/sandbox/intercom/index.ts';
import { openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createTestProject, duckdbExec, type TestProject } from '../support/project.ts';

let project: TestProject | undefined;
let sandbox: IntercomSandbox | undefined;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  await sandbox?.close();
  project?.cleanup();
  engine = sandbox = project = undefined;
});

const RETRY = { maxRateLimitedRetries: 5, maxTransientRetries: 2, baseDelayMs: 50, maxDelayMs: 200 };

/**
 * Intercom has no batch endpoint: one batch is a search and a write per record, so a 429 can arrive
 * after some of a batch's records were written. Those are acknowledged; the rest come back retryable.
 */
describe('intercom: a 429 in the middle of a batch', () => {
  it('delivers every row within the same run: the rest of the batch is sent again after a backoff', async () => {
    sandbox = await startIntercomSandbox();
    project = createTestProject('ebb-intercom-');
    await duckdbExec(project.path('warehouse.duckdb'), [
      `create table customers as select 'cu-' || lpad(i::varchar, 4, '0') as id, 'user' || i || '@example.com' as email, 'Customer ' || i as name
       from range(1, 41) t(i)`,
    ]);
    project.write(
      'syncs/ebb.config.ts',
      `import { defineConfig, env } from 'ebb';
export default defineConfig({
  connections: {
    warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' },
    intercom: { kind: 'intercom', accessToken: env('INTERCOM_TOKEN'), baseUrl: ${JSON.stringify(sandbox.url)}, maxConcurrent: 4 },
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
    engine = await openEngine(project.dir, { INTERCOM_TOKEN: sandbox.token });
    // One batch of 40 records is 80 requests (a search and a create each): the 16th answers 429.
    sandbox.failNext(1, 429, 15);

    const result = (await engine.apply(await engine.plan(), { retry: RETRY })).syncs[0]!;

    expect(sandbox.stats().injectedFailures).toBe(1);
    expect(result).toMatchObject({ status: 'succeeded', delivered: 40, failed: 0 });
    const resent = engine.events.filter((e) => e.type === 'retry-scheduled' && e.reason === 'rows');
    expect(resent.length).toBeGreaterThan(0); // the mid-batch 429 did happen, and was absorbed in the run
    expect(sandbox.records('contacts')).toHaveLength(40);
    expect(Object.values(sandbox.stats().createsPerKey.contacts)).toEqual(Array(40).fill(1)); // none created twice
    expect((await engine.plan()).syncs[0]!.changes.count).toBe(0);
  });
});
