import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadResult } from '../../src/config/index.ts';
import type { Diagnostic } from '../../src/core/diagnostics.ts';
import { DEFINE_MODULE, removeProjects, syncFile, testKinds, VALID_CONFIG, writeProject } from './support.ts';

afterAll(removeProjects);

function diagnosticsOf(result: LoadResult): Diagnostic[] {
  if (result.ok) throw new Error('expected the project to fail loading');
  return result.diagnostics;
}

async function load(files: Record<string, string>): Promise<Diagnostic[]> {
  return diagnosticsOf(await loadProject(writeProject(files), testKinds));
}

describe('loadProject diagnostics', () => {
  it('names the file and the field of a broken sync', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/contacts.sync.ts': syncFile({ mapping: `{ email: 'email', phone: { form: 'phone', sensitive: true } }` }),
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'MISSING_FIELD', file: 'syncs/contacts.sync.ts', path: 'mapping.phone.from' }),
      expect.objectContaining({ code: 'UNKNOWN_FIELD', file: 'syncs/contacts.sync.ts', path: 'mapping.phone.form' }),
    ]);
    expect(diagnostics[1]?.message).toContain('Did you mean `from`?');
  });

  it('reports the problems of every broken file in one call', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/a-typo.sync.ts': syncFile({ maping: `{}` }),
      'syncs/b-mode.sync.ts': syncFile({ mode: `'merge'`, readBatchSize: `-1`, readTimeout: `'forever'` }),
      'syncs/c-schedule.sync.ts': syncFile({ schedule: `{ cron: '61 * * * *', timezone: 'Mars/Olympus' }`, sla: `{ freshness: 'soon' }` }),
      'syncs/d-missing.sync.ts': syncFile({ key: '' }),
      'syncs/e-fine.sync.ts': syncFile(),
    });
    const summary = diagnostics.map((d) => `${d.file} ${d.path} ${d.code}`);
    expect(summary).toEqual([
      'syncs/a-typo.sync.ts maping UNKNOWN_FIELD',
      'syncs/b-mode.sync.ts mode INVALID_VALUE',
      'syncs/b-mode.sync.ts readBatchSize INVALID_VALUE',
      'syncs/b-mode.sync.ts readTimeout INVALID_DURATION',
      'syncs/c-schedule.sync.ts schedule.cron INVALID_CRON',
      'syncs/c-schedule.sync.ts schedule.timezone INVALID_TIMEZONE',
      'syncs/c-schedule.sync.ts sla.freshness INVALID_DURATION',
      'syncs/d-missing.sync.ts key MISSING_FIELD',
    ]);
    expect(diagnostics[0]?.message).toContain('Did you mean `mapping`?');
    expect(diagnostics[1]?.message).toContain('upsert, update, create or mirror');
    expect(diagnostics[3]?.message).toContain("'15m'");
    expect(diagnostics[6]?.message).toContain("'15m'");
  });

  it('refuses a cron expression that croner parses but that never fires, saying what to fix', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/feb30.sync.ts': syncFile({ schedule: `{ cron: '0 0 30 2 *', timezone: 'Europe/Paris' }` }),
      'syncs/leap.sync.ts': syncFile({ schedule: `{ cron: '0 0 29 2 *' }` }),
    });
    // The 29th of February comes back every leap year: only the 30th is refused.
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'CRON_NEVER_FIRES', file: 'syncs/feb30.sync.ts', path: 'schedule.cron' })]);
    expect(diagnostics[0]?.message).toContain("'0 0 30 2 *' never fires");
    expect(diagnostics[0]?.message).toContain("'0 0 L 2 *'");
  });

  it('turns a syntax error into one diagnostic with the compiler line, not a stack trace', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/broken.sync.ts': `export default {\n  key: 'email',,\n};\n`,
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'IMPORT_FAILED', file: 'syncs/broken.sync.ts' });
    expect(diagnostics[0]?.message).toMatch(/^Could not load syncs\/broken\.sync\.ts: syncs\/broken\.sync\.ts:2:\d+: Expected/);
    expect(diagnostics[0]?.message).not.toMatch(/\n|\bat |tmp/);
  });

  it('reports a file that throws, and one without a default export', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/throws.sync.ts': `const rows: any = undefined;\nexport default { key: rows.first };\n`,
      'syncs/named.sync.ts': `export const sync = {};\n`,
      'syncs/string.sync.ts': `export default 'contacts';\n`,
    });
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['syncs/named.sync.ts', 'NO_DEFAULT_EXPORT'],
      ['syncs/string.sync.ts', 'NO_DEFAULT_EXPORT'],
      ['syncs/throws.sync.ts', 'IMPORT_FAILED'],
    ]);
    expect(diagnostics[0]?.message).toContain('export default defineSync');
    expect(diagnostics[1]?.message).toContain('default-exports a string');
    expect(diagnostics[2]?.message).toContain("Cannot read properties of undefined (reading 'first')");
  });

  it('rejects a literal secret without echoing it', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': `export default {
        connections: {
          warehouse: { kind: 'duckdb', path: 'demo.duckdb' },
          hubspot: { kind: 'hubspot', accessToken: 'pat-na1-0123456789', oauth: { clientSecret: 'shh' } },
        },
      };`,
      'syncs/contacts.sync.ts': syncFile(),
    });
    expect(diagnostics.map((d) => `${d.path} ${d.code}`)).toEqual([
      'connections.hubspot.accessToken LITERAL_SECRET',
      'connections.hubspot.oauth.clientSecret LITERAL_SECRET',
    ]);
    expect(diagnostics[0]?.message).toContain("env('HUBSPOT_ACCESS_TOKEN')");
    expect(JSON.stringify(diagnostics)).not.toMatch(/pat-na1|shh/);
  });

  it('checks connections, kinds, options, objects and modes against the kinds given', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': `import { env } from '${DEFINE_MODULE}';
      export default {
        connections: {
          warehouse: { kind: 'duckdb', path: 'demo.duckdb' },
          lake: { kind: 'duckdb' },
          hubspot: { kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN') },
          zendesk: { kind: 'zendsk' },
        },
      };`,
      'syncs/a-unknown-connection.sync.ts': syncFile({ source: `{ connection: 'warehose', query: 'select 1' }` }),
      'syncs/b-swapped.sync.ts': syncFile({
        source: `{ connection: 'hubspot', query: 'select 1' }`,
        destination: `{ connection: 'warehouse', object: 'contacts' }`,
      }),
      'syncs/c-unknown-object.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'deals' }` }),
      'syncs/d-mirror.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'companies' }`, mode: `'mirror'` }),
      'syncs/e-update.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'notes' }`, mode: `'update'` }),
      'syncs/f-upsert.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'notes' }` }),
      // Connections already reported as broken do not produce a second diagnostic per sync.
      'syncs/g-broken-connections.sync.ts': syncFile({
        source: `{ connection: 'lake', query: 'select 1' }`,
        destination: `{ connection: 'zendesk', object: 'users' }`,
      }),
      'syncs/h-fine.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'companies' }` }),
    });
    const byCode = (code: string) => diagnostics.filter((d) => d.code === code);
    expect(diagnostics.map((d) => `${d.file} ${d.path} ${d.code}`)).toEqual([
      'syncs/ebb.config.ts connections.lake INVALID_CONNECTION_OPTIONS',
      'syncs/ebb.config.ts connections.zendesk.kind UNKNOWN_KIND',
      'syncs/a-unknown-connection.sync.ts source.connection UNKNOWN_CONNECTION',
      'syncs/b-swapped.sync.ts source.connection CONNECTION_ROLE_MISMATCH',
      'syncs/b-swapped.sync.ts destination.connection CONNECTION_ROLE_MISMATCH',
      'syncs/c-unknown-object.sync.ts destination.object UNKNOWN_OBJECT',
      'syncs/d-mirror.sync.ts mode MODE_NOT_SUPPORTED',
      'syncs/e-update.sync.ts mode MODE_NOT_SUPPORTED',
      'syncs/f-upsert.sync.ts mode MODE_NOT_SUPPORTED',
    ]);
    expect(byCode('INVALID_CONNECTION_OPTIONS')[0]?.message).toContain('set `path`');
    expect(byCode('UNKNOWN_KIND')[0]?.message).toMatch(/Did you mean `zendesk`\?|Known kinds: `duckdb`, `hubspot`/);
    expect(byCode('UNKNOWN_CONNECTION')[0]?.message).toContain('Did you mean `warehouse`? Known connections: `warehouse`, `lake`, `hubspot`, `zendesk`');
    expect(byCode('CONNECTION_ROLE_MISMATCH')[0]?.message).toContain('Use a source connection here: `warehouse`, `lake`');
    expect(byCode('UNKNOWN_OBJECT')[0]?.message).toContain('known objects: contacts, companies, notes');
    expect(byCode('MODE_NOT_SUPPORTED').map((d) => d.message)).toEqual([
      expect.stringContaining("Mode `mirror` needs 'delete'"),
      expect.stringContaining("Mode `update` needs 'update'"),
      expect.stringContaining("Mode `upsert` needs 'upsert' (or both 'create' and 'update')"),
    ]);
    expect(diagnostics.every((d) => d.sync === undefined || d.file?.includes(d.sync))).toBe(true);
  });

  it('reports duplicate names, unknown dependencies and cycles across files', async () => {
    const diagnostics = await load({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/a.sync.ts': syncFile({ dependsOn: `['b']` }),
      'syncs/b.sync.ts': syncFile({ dependsOn: `['c', 'companeis']` }),
      'syncs/c.sync.ts': syncFile({ dependsOn: `['a']` }),
      'syncs/companies.sync.ts': syncFile(),
      'syncs/companies-again.sync.ts': syncFile({ name: `'companies'` }),
      // Broken on its own; depending on it is not reported a second time as unknown.
      'syncs/d.sync.ts': syncFile({ key: `42` }),
      'syncs/e.sync.ts': syncFile({ dependsOn: `['d']` }),
    });
    expect(diagnostics.map((d) => `${d.file} ${d.path} ${d.code}`)).toEqual([
      'syncs/d.sync.ts key INVALID_VALUE',
      'syncs/companies.sync.ts name DUPLICATE_SYNC_NAME',
      'syncs/b.sync.ts dependsOn[1] UNKNOWN_DEPENDENCY',
      'syncs/a.sync.ts dependsOn DEPENDENCY_CYCLE',
    ]);
    expect(diagnostics[1]?.message).toContain('already used by syncs/companies-again.sync.ts');
    expect(diagnostics[2]?.message).toContain('Did you mean `companies`?');
    expect(diagnostics[3]?.message).toContain('a → b → c → a');
  });

  it('reports a missing syncs/ folder or config file as diagnostics', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ebb-empty-'));
    try {
      expect(diagnosticsOf(await loadProject(empty, testKinds))).toMatchObject([{ code: 'SYNCS_DIR_MISSING' }]);
    } finally {
      rmSync(empty, { recursive: true });
    }
    const diagnostics = await load({ 'syncs/contacts.sync.ts': syncFile({ mode: `'sideways'` }) });
    // Without a config the sync files are still checked on their own.
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([
      'syncs/ebb.config.ts CONFIG_FILE_MISSING',
      'syncs/contacts.sync.ts INVALID_VALUE',
    ]);
  });
});
