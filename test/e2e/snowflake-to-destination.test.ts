import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { startMemorySandbox, type MemorySandbox } from '../../src/sandbox/memory/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { createTestProject, type TestProject } from '../support/project.ts';
import { startSnowflakeEmulator, type SnowflakeEmulator } from '../support/snowflake-emulator/index.ts';
import { writeEncryptedKeyPair } from '../sources/snowflake/harness.ts';

let emulator: SnowflakeEmulator;
let sandbox: MemorySandbox;
let project: TestProject;
const keys = writeEncryptedKeyPair('pass phrase');
const env = { SNOWFLAKE_KEY_PASSPHRASE: 'pass phrase' };

beforeAll(async () => {
  emulator = await startSnowflakeEmulator({ account: 'ebbdemo', users: [{ name: 'EBB', publicKeyPem: keys.publicKeyPem }] });
  await emulator.exec(`create table accounts as select 'acc-' || i as account_id, 'Account ' || i as name, (i * 1000)::decimal(38, 0) as arr, timestamptz '2026-01-01 00:00:00+00' + to_hours(i) as renewed_at from range(1, 1201) t(i)`);
  sandbox = await startMemorySandbox();
  project = createTestProject();
  cpSync(keys.dir + '/keys', project.path('keys'), { recursive: true });
  project.write(
    'syncs/ebb.config.ts',
    `import { defineConfig, env } from 'ebb';
export default defineConfig({
  connections: {
    snowflake: { kind: 'snowflake', account: '${emulator.account}', username: 'EBB', accessUrl: '${emulator.url}', privateKeyPath: 'keys/ebb.p8', privateKeyPassphrase: env('SNOWFLAKE_KEY_PASSPHRASE'), warehouse: 'TEST_WH', database: 'TESTDB', schema: 'PUBLIC', role: 'SYSADMIN' },
    crm: { kind: 'memory', baseUrl: '${sandbox.url}' },
  },
});
`,
  );
  project.write(
    'syncs/accounts.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'snowflake', query: 'select account_id, name, arr, renewed_at from accounts' },
  key: 'account_id',
  destination: { connection: 'crm', object: 'accounts', matchOn: 'external_id' },
  mapping: { external_id: 'account_id', name: 'name', arr: 'arr', renewed_at: 'renewed_at' },
});
`,
  );
});
afterAll(async () => {
  await sandbox.close();
  await emulator.close();
  project.cleanup();
  keys.cleanup();
});

const cli = async (args: string[]) => {
  const io = captureIo(project.dir, env);
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
};

describe('a sync from Snowflake (emulator, key-pair auth) through plan and apply', () => {
  it('delivers every row, then only what changed in the warehouse', async () => {
    const first = await cli(['apply', '--auto-approve']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('1200 delivered, 0 failed of 1200');
    const records = new Map(sandbox.records('accounts').map((r) => [r.fields['external_id'], r.fields]));
    expect(records.size).toBe(1200);
    expect(records.get('acc-7')).toEqual({ external_id: 'acc-7', name: 'Account 7', arr: 7000, renewed_at: '2026-01-01T07:00:00.000Z' });
    // Warehouse cost is attributable: every query carries the sync's tag.
    const modelQueries = emulator.queries.filter((q) => /from accounts/i.test(q.sql));
    expect(modelQueries.length).toBeGreaterThan(0);
    expect(modelQueries.every((q) => q.queryTag === 'ebb:accounts')).toBe(true);

    await emulator.exec(`update accounts set name = 'Renamed' where account_id = 'acc-42'`);
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('~ acc-42');
    expect(plan.out).toContain('name  "Account 42" → "Renamed"');
    expect(plan.out).toContain('0 to create, 1 to update, 0 to delete; 1199 unchanged');
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(sandbox.stats().updates).toBe(1);
  });

  it('reports a missing key passphrase before touching anything', async () => {
    const io = captureIo(project.dir, {});
    expect(await runCli(['plan'], io)).toBe(1);
    expect(io.stdout() + io.stderr()).toContain('SNOWFLAKE_KEY_PASSPHRASE');
  });
});
