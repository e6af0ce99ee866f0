import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/sandbox/webhook/index.ts';
import { openEngine, FAST_RETRY, type EngineHarness } from '../support/engine-project.ts';
import { createTestProject, duckdbExec, writeWarehouseConfig, type TestProject } from '../support/project.ts';

const SECRET = 'whsec_test_0123456789';
let receiver: WebhookReceiver | undefined;
let project: TestProject | undefined;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  await receiver?.close();
  project?.cleanup();
  engine = receiver = project = undefined;
});

describe('a create to a destination that dedupes re-sent creates (webhook idempotency keys)', () => {
  it('is re-sent after its answer was lost, and applied once: no OUTCOME_UNKNOWN for a person to check', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET, stallNext: 1, stallMs: 3000 });
    project = createTestProject();
    await duckdbExec(project.path('warehouse.duckdb'), [`create table accounts as select 'acct-' || i as id, 'a' || i || '@example.com' as email from range(1, 4) t(i)`]);
    writeWarehouseConfig(project, { name: 'hook', source: `{ kind: 'webhook', url: '${receiver.url}/hooks/ebb', secret: env('HOOK_SECRET'), timeoutMs: 300 }` });
    project.write(
      'syncs/accounts.sync.ts',
      `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select * from accounts' },
  key: 'id',
  destination: { connection: 'hook', object: 'accounts', matchOn: 'id' },
  mapping: { id: 'id', email: 'email' },
  mode: 'create',
});
`,
    );
    engine = await openEngine(project.dir, { HOOK_SECRET: SECRET });
    const result = (await engine.apply(await engine.plan(), { retry: FAST_RETRY })).syncs[0]!;
    expect(result).toMatchObject({ status: 'succeeded', delivered: 3, failed: 0 });
    for (const key of ['acct-1', 'acct-2', 'acct-3']) expect(receiver.applications('accounts', key)).toBe(1);
    expect(receiver.stats().duplicates).toBe(3); // the re-send, recognised by its idempotency keys
    expect(await engine.store.countRowErrors('accounts')).toBe(0);
  });
});
