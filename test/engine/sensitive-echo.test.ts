import { afterEach, describe, expect, it } from 'vitest';
import { FAST_RETRY, openEngine, type EngineHarness } from '../support/engine-project.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject | undefined;
let engine: EngineHarness | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await p?.close();
  p = undefined;
});

// The memory project's `vip` is marked sensitive; the sandbox quotes the first item's fields in its
// failures, JSON inside JSON, so the value shows as `\"vip\":false`.
const VIP_VALUE = /vip\\*":(true|false)/;

async function echoingProject(status: number): Promise<EngineHarness> {
  p = await createMemoryProject({ rows: 5 });
  Object.assign(p.sandbox.knobs, { failNext: 1, failStatus: status, failEchoesItem: true });
  engine = await openEngine(p.project.dir);
  return engine;
}

describe('a destination quoting a sensitive value in a whole-call failure', () => {
  it('is masked in the retry event a transient failure logs', async () => {
    const e = await echoingProject(500);
    const result = await e.apply(await e.plan(), { retry: FAST_RETRY });
    expect(result.syncs[0]).toMatchObject({ status: 'succeeded', delivered: 5 });
    const retries = e.events.filter((event) => event.type === 'retry-scheduled');
    expect(retries).toHaveLength(1);
    expect(JSON.stringify(retries)).toContain('could not process');
    expect(JSON.stringify(retries)).toContain('(sensitive)');
    expect(JSON.stringify(e.events)).not.toMatch(VIP_VALUE);
  });

  it("is masked in the run's stop message and in every row error recorded for it", async () => {
    const e = await echoingProject(400);
    const result = await e.apply(await e.plan(), { retry: FAST_RETRY });
    expect(result.syncs[0]).toMatchObject({ status: 'failed', delivered: 0, failed: 5 });
    expect(result.syncs[0]!.message).toContain('(sensitive)');
    const errors = await e.store.listRowErrors({ sync: 'contacts', limit: 10 });
    expect(errors).toHaveLength(5);
    expect(errors.every((error) => error.message.includes('could not process'))).toBe(true);
    expect(JSON.stringify([result, errors, e.events])).not.toMatch(VIP_VALUE);
  });
});
