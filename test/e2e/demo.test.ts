import { cpSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo/run-demo.ts';
import { runCli } from '../../src/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { createTestProject, REPO_ROOT } from '../support/project.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const project = createTestProject('ebb-demo-');
afterAll(() => project.cleanup());

describe('the demo (README quick start)', () => {
  it('plans, applies, plans only the deltas, applies them, and leaves nothing to do', async () => {
    // The repo's own example syncs, pointed at free ports so the test never collides with a running sandbox.
    for (const file of readdirSync(join(REPO_ROOT, 'syncs')).filter((f) => f.endsWith('.ts'))) {
      cpSync(join(REPO_ROOT, 'syncs', file), project.path(`syncs/${file}`));
    }
    for (const name of ['HUBSPOT', 'ZENDESK', 'INTERCOM', 'SALESFORCE']) process.env[`EBB_${name}_URL`] = `http://127.0.0.1:${await freePort()}`;

    const io = captureIo(project.dir, {});
    expect(await runDemo(io, project.dir), io.stderr()).toBe(0);
    const out = io.stdout();
    expect(out).toMatch(/hubspot-contacts: succeeded: 3000 delivered, 0 failed of 3000; 30 API call\(s\), 0 rate-limited/);
    expect(out).toMatch(/hubspot-deals: succeeded: 2000 delivered, 0 failed of 2000; 20 API call\(s\)/);
    expect(out).toMatch(/zendesk-users: succeeded: 3000 delivered/);

    // The second plan holds exactly the warehouse's changes, field by field.
    const second = out.slice(out.indexOf('━━ 6.'), out.indexOf('━━ 7.'));
    expect(second).toContain('firstname  "Ada" → "Adeline"');
    expect(second).toContain('phone  (sensitive value changed)');
    expect(second).toContain('+ newcomer@example.com');
    expect(second).toContain('dealstage  "qualifiedtobuy" → "closedwon"');
    expect(second).toContain('numberofemployees');
    expect(second).toMatch(/hubspot-contacts[^\n]*\n(?:.*\n)*?\s+1 to create, 3 to update, 0 to delete; 2997 unchanged/);
    // The phone is sensitive: no value of it appears in anything Ebb rendered (step 5 only echoes the
    // demo's own SQL).
    const rendered = out.slice(0, out.indexOf('━━ 5.')) + out.slice(out.indexOf('━━ 6.'));
    expect(rendered).not.toMatch(/\+33 1 \d{8}/);
    const secondApply = out.slice(out.indexOf('━━ 7.'), out.indexOf('━━ 8.'));
    expect(secondApply).toMatch(/hubspot-contacts: succeeded: 4 delivered, 0 failed of 4; 1 API call/);

    // Afterwards: nothing to do, decided without any destination (the sandboxes are stopped by now).
    const check = captureIo(project.dir, {});
    expect(await runCli(['plan', '--detailed-exitcode'], check)).toBe(0);
    expect(check.stdout()).toContain('Plan: 0 to create, 0 to update, 0 to delete.');
  }, 240_000);
});
