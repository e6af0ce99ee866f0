import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, definitionHashOf } from '../../src/config/index.ts';
import { builtInKinds } from '../../src/cli/registry.ts';
import type { ResolvedSync } from '../../src/core/sync.ts';
import { removeProjects, syncFile, testKinds, VALID_CONFIG, VALID_FIXTURE, writeProject } from './support.ts';

afterAll(removeProjects);

describe('loadProject on a valid project', () => {
  it('resolves the config and every sync, with defaults, durations and matchOn filled in', async () => {
    const result = await loadProject(VALID_FIXTURE, testKinds);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));

    expect(result.warnings).toEqual([]);
    expect(result.config.rootDir).toBe(VALID_FIXTURE);
    expect(result.config.snapshotPath).toBe(join(VALID_FIXTURE, '.ebb/state.sqlite'));
    // Secrets stay references until a connection is opened.
    expect(result.config.connections.hubspot).toEqual({ kind: 'hubspot', accessToken: { $env: 'HUBSPOT_TOKEN' }, baseUrl: 'http://127.0.0.1:4010' });

    const byName = Object.fromEntries(result.config.syncs.map((s) => [s.name, s]));
    const contacts: Omit<ResolvedSync, 'definitionHash'> = {
      name: 'hubspot-contacts',
      file: 'syncs/hubspot-contacts.sync.ts',
      source: { connection: 'warehouse', query: 'select * from customers' },
      key: 'email',
      destination: { connection: 'hubspot', object: 'contacts', matchOn: 'email', matchIgnoresCase: false },
      mapping: [
        { to: 'email', from: 'email', sensitive: false },
        { to: 'firstname', from: 'first_name', sensitive: false },
        { to: 'phone', from: 'phone', sensitive: true },
      ],
      mode: 'mirror',
      // maxDeletePercent from the config's defaults, blockWhenModelEmpty from the sync itself.
      deleteGuard: { maxDeletePercent: 10, blockWhenModelEmpty: false },
      schedule: { cron: '*/15 * * * *', timezone: 'Europe/Paris' },
      sla: { freshnessMs: 30 * 60_000, maxFailureRate: 0.05, maxBacklog: 10000, backlogWarnRatio: 0.5 },
      dependsOn: ['companies'],
      readBatchSize: 5000,
      readTimeoutMs: 2 * 3_600_000,
    };
    expect(byName['hubspot-contacts']).toEqual({ ...contacts, definitionHash: definitionHashOf(contacts) });

    expect(byName.companies).toMatchObject({
      name: 'companies',
      file: 'syncs/hubspot-companies.sync.ts',
      destination: { connection: 'hubspot', object: 'companies', matchOn: 'domain' },
      mode: 'upsert',
      deleteGuard: { maxDeletePercent: 10, blockWhenModelEmpty: true },
      schedule: { everyMs: 3_600_000 },
      dependsOn: [],
      readBatchSize: 200,
      // From the config's defaults.
      readTimeoutMs: 20 * 60_000,
    });
    expect(byName.companies?.sla).toBeUndefined();
  });

  it('uses the built-in defaults when the config sets none', async () => {
    const root = writeProject({ 'syncs/ebb.config.ts': VALID_CONFIG, 'syncs/people.sync.ts': syncFile() });
    const result = await loadProject(root, testKinds);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
    expect(result.config.snapshotPath).toBe(join(root, '.ebb/snapshot.sqlite'));
    expect(result.config.syncs).toHaveLength(1);
    expect(result.config.syncs[0]).toMatchObject({
      name: 'people',
      mode: 'upsert',
      readBatchSize: 1_024,
      readTimeoutMs: 3_600_000,
      deleteGuard: { maxDeletePercent: 20, blockWhenModelEmpty: true },
      dependsOn: [],
    });
  });

  it('picks up an edited sync file on the next load', async () => {
    const root = writeProject({ 'syncs/ebb.config.ts': VALID_CONFIG, 'syncs/people.sync.ts': syncFile() });
    const first = await loadProject(root, testKinds);
    writeFileSync(join(root, 'syncs/people.sync.ts'), syncFile({ readBatchSize: '42' }));
    const second = await loadProject(root, testKinds);
    expect(first.ok && first.config.syncs[0]?.readBatchSize).toBe(1_024);
    expect(second.ok && second.config.syncs[0]?.readBatchSize).toBe(42);
  });

  it("takes how keys are matched from the destination's connector, unless the sync says", async () => {
    const root = writeProject({
      'syncs/ebb.config.ts': VALID_CONFIG,
      // The real HubSpot connector: it matches contacts' email ignoring case, a custom property exactly.
      'syncs/by-email.sync.ts': syncFile(),
      'syncs/by-property.sync.ts': syncFile({ mapping: `{ customer_key: 'email' }` }),
      'syncs/overridden.sync.ts': syncFile({ destination: `{ connection: 'hubspot', object: 'contacts', matchIgnoresCase: false }` }),
    });
    const result = await loadProject(root, { ...testKinds, connectors: { hubspot: builtInKinds.connectors.hubspot! } });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
    const ignoresCase = Object.fromEntries(result.config.syncs.map((s) => [s.name, s.destination.matchIgnoresCase]));
    expect(ignoresCase).toEqual({ 'by-email': true, 'by-property': false, overridden: false });
    // Test kinds that say nothing about it match exactly.
    const plain = await loadProject(root, testKinds);
    expect(plain.ok && plain.config.syncs.map((s) => s.destination.matchIgnoresCase)).toEqual([false, false, false]);
  });

  it('warns, without failing, about a deletes guard on a sync that never deletes', async () => {
    const root = writeProject({
      'syncs/ebb.config.ts': VALID_CONFIG,
      'syncs/people.sync.ts': syncFile({ deletes: '{ maxDeletePercent: 5 }' }),
    });
    const result = await loadProject(root, testKinds);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toMatchObject([
      { severity: 'warning', code: 'DELETES_IGNORED', file: 'syncs/people.sync.ts', path: 'deletes', sync: 'people' },
    ]);
  });
});
