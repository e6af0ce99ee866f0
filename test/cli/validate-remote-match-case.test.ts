import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { createTestProject, duckdbExec, type TestProject } from '../support/project.ts';

// In the sandbox, Customer__c.Customer_Key__c is a unique External ID that ignores case and
// Account.External_Id__c one that does not, as Salesforce's describe reports them.
let sandbox: SalesforceSandbox;
let project: TestProject;
const env = { SALESFORCE_ACCESS_TOKEN: 'sf-validate-token' };

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ accessToken: env.SALESFORCE_ACCESS_TOKEN });
  project = createTestProject();
  await duckdbExec(project.path('warehouse.duckdb'), [`create table customers as select 'K-' || i as customer_key, 'Customer ' || i as name from range(1, 4) t(i)`]);
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({ connections: { warehouse: { kind: 'duckdb', path: 'warehouse.duckdb' }, salesforce: { kind: 'salesforce', instanceUrl: '${sandbox.url}', accessToken: env('SALESFORCE_ACCESS_TOKEN') } } });
`,
  );
});
afterAll(async () => {
  await sandbox.close();
  project.cleanup();
});

/** A sync upserting the customers into `object` by `matchOn`; `matchIgnoresCase` is left out when undefined. */
function writeSync(object: string, matchOn: string, matchIgnoresCase?: boolean): void {
  const ignoresCase = matchIgnoresCase === undefined ? '' : `, matchIgnoresCase: ${matchIgnoresCase}`;
  project.write(
    'syncs/customers.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({ source: { connection: 'warehouse', query: 'select * from customers' }, key: 'customer_key', destination: { connection: 'salesforce', object: '${object}', matchOn: '${matchOn}'${ignoresCase} }, mapping: { ${matchOn}: 'customer_key', Name: 'name' }, mode: 'mirror' });
`,
  );
}

async function validate(): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(project.dir, env);
  const code = await runCli(['validate', '--remote'], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('ebb validate --remote: matchIgnoresCase against the Salesforce External ID', () => {
  it('reports a case-insensitive External ID matched by a sync that compares keys exactly, and says what to set', async () => {
    writeSync('Customer__c', 'Customer_Key__c');
    const result = await validate();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('syncs/customers.sync.ts › mapping: matchOn "Customer_Key__c" is a unique External ID that Salesforce matches ignoring case ("ABC" = "abc")');
    expect(result.stderr).toContain('set destination.matchIgnoresCase: true in the sync');
  });

  it('passes the same sync once it sets matchIgnoresCase: true', async () => {
    writeSync('Customer__c', 'Customer_Key__c', true);
    const result = await validate();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('customers: fields checked against salesforce.');
  });

  it('reports a case-sensitive External ID matched by a sync that sets matchIgnoresCase: true', async () => {
    writeSync('Account', 'External_Id__c', true);
    const result = await validate();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('matchOn "External_Id__c" is an External ID that Salesforce matches exactly ("ABC" ≠ "abc"), but the sync sets destination.matchIgnoresCase: true: remove it');
  });

  it('passes a case-sensitive External ID matched exactly, as syncs do by default', async () => {
    writeSync('Account', 'External_Id__c');
    const result = await validate();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});
