import { afterEach, describe, expect, it } from 'vitest';
import { createZendeskProject, type ZendeskProject } from '../support/zendesk-project.ts';

let p: ZendeskProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

// Zendesk matches external_id ignoring case, as its sandbox does.
describe('Zendesk users matched on external_id, which Zendesk compares ignoring case', () => {
  it('plans external ids that only change case as updates of the same users, never deletes (mirror)', async () => {
    p = await createZendeskProject({ rows: 20 });
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
    p = await createZendeskProject({ rows: 20 });
    await p.sql(`insert into customers values ('c-7', 'Someone else')`);
    const plan = await p.cli(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.out + plan.err).toMatch(/DUPLICATE_KEYS.*compared ignoring case as the destination matches external_id.*c-7 \(×2\)/s);
  });
});
