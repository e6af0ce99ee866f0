import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { startHubspotSandbox, type HubspotSandbox } from '../../src/sandbox/hubspot/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { createTestProject, duckdbExec, type TestProject } from '../support/project.ts';

let sandbox: HubspotSandbox;
let project: TestProject;

beforeAll(async () => {
  sandbox = await startHubspotSandbox();
  project = createTestProject();
  await duckdbExec(project.path('warehouse.duckdb'), [
    `create table customers as select 'u' || i || '@example.com' as email, 'First' || i as first_name, i as score, date '2026-01-01' as signed_up from range(1, 4) t(i)`,
  ]);
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({ connections: { warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' }, hubspot: { kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN'), baseUrl: '${sandbox.url}' } } });
`,
  );
});
afterAll(async () => {
  await sandbox.close();
  project.cleanup();
});

const writeSync = (mapping: string) =>
  project.write(
    'syncs/contacts.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({ source: { connection: 'warehouse', query: 'select * from customers' }, key: 'email', destination: { connection: 'hubspot', object: 'contacts', matchOn: 'email' }, mapping: ${mapping} });
`,
  );

describe('ebb validate --remote against the HubSpot properties API', () => {
  it('passes a mapping whose properties exist, are writable and fit the columns', async () => {
    writeSync(`{ email: 'email', firstname: 'first_name' }`);
    const io = captureIo(project.dir, { HUBSPOT_TOKEN: 'token' });
    expect(await runCli(['validate', '--remote'], io), io.stderr()).toBe(0);
    expect(io.stdout()).toContain('contacts: fields checked against hubspot.');
  });

  it('names an unknown property, a read-only one and a type that does not fit', async () => {
    writeSync(`{ email: 'email', frstname: 'first_name', num_notes: 'score', hs_email_optout: 'signed_up' }`);
    const io = captureIo(project.dir, { HUBSPOT_TOKEN: 'token' });
    expect(await runCli(['validate', '--remote'], io)).toBe(1);
    const err = io.stderr();
    expect(err).toContain('syncs/contacts.sync.ts › mapping');
    expect(err).toMatch(/frstname/);
    expect(err).toMatch(/num_notes.*read-only|read-only.*num_notes/);
    expect(err).toMatch(/hs_email_optout/);
  });
});
