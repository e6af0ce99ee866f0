import { describe, expect, it } from 'vitest';
import { BUILT_IN_DEFAULTS } from '../../src/config/config-schema.ts';
import type { SyncDefinition } from '../../src/config/index.ts';
import { resolveSync } from '../../src/config/resolve-sync.ts';
import { syncSchema } from '../../src/config/sync-schema.ts';

const base: SyncDefinition = {
  source: { connection: 'warehouse', query: 'select * from customers' },
  key: 'email',
  destination: { connection: 'hubspot', object: 'contacts' },
  mapping: { email: 'email', firstname: 'first_name', phone: { from: 'phone', sensitive: true } },
};

function resolve(definition: SyncDefinition) {
  return resolveSync(syncSchema.parse(definition), 'syncs/contacts.sync.ts', BUILT_IN_DEFAULTS);
}

function hashOf(definition: SyncDefinition): string {
  const { sync, diagnostics } = resolve(definition);
  if (!sync) throw new Error(JSON.stringify(diagnostics));
  return sync.definitionHash;
}

describe('definitionHash', () => {
  it('does not depend on the order keys are written in', () => {
    const reordered: SyncDefinition = {
      mapping: { phone: { sensitive: true, from: 'phone' }, firstname: 'first_name', email: 'email' },
      destination: { object: 'contacts', connection: 'hubspot' },
      key: 'email',
      source: { query: 'select * from customers', connection: 'warehouse' },
    };
    expect(hashOf(reordered)).toBe(hashOf(base));
  });

  it('changes with the mapping, query, key, destination and mode', () => {
    const original = hashOf(base);
    const variants: SyncDefinition[] = [
      { ...base, mapping: { ...base.mapping, firstname: 'given_name' } },
      { ...base, mapping: { email: 'email', firstname: 'first_name' } },
      { ...base, source: { ...base.source, query: 'select * from customers where active' } },
      { ...base, destination: { ...base.destination, object: 'leads' } },
      { ...base, mode: 'mirror' },
      { ...base, destination: { ...base.destination, matchIgnoresCase: true } },
    ];
    const hashes = variants.map(hashOf);
    expect(hashes.filter((hash) => hash === original)).toEqual([]);
    expect(new Set(hashes).size).toBe(variants.length);
  });

  it('ignores schedule, SLA, delete guard, batch size, read timeout, dependencies and masking', () => {
    const operational: SyncDefinition = {
      ...base,
      mapping: { email: 'email', firstname: 'first_name', phone: 'phone' },
      schedule: { every: '5m' },
      sla: { freshness: '1h', maxBacklog: 10 },
      deletes: { maxDeletePercent: 1 },
      readBatchSize: 100,
      readTimeout: '5m',
      dependsOn: ['companies'],
    };
    expect(hashOf(operational)).toBe(hashOf(base));
  });

  it('is the same for a sync matching keys exactly whether it says so or not', () => {
    expect(hashOf({ ...base, destination: { ...base.destination, matchIgnoresCase: false } })).toBe(hashOf(base));
  });
});

describe('matchIgnoresCase', () => {
  it("follows the connector unless the sync sets it", () => {
    const connectorSays = (ignores: boolean) => () => ignores;
    const resolveWith = (definition: SyncDefinition, ignores: boolean) =>
      resolveSync(syncSchema.parse(definition), 'syncs/contacts.sync.ts', BUILT_IN_DEFAULTS, connectorSays(ignores)).sync?.destination.matchIgnoresCase;
    expect(resolveWith(base, true)).toBe(true);
    expect(resolveWith(base, false)).toBe(false);
    expect(resolveWith({ ...base, destination: { ...base.destination, matchIgnoresCase: false } }, true)).toBe(false);
    expect(resolveWith({ ...base, destination: { ...base.destination, matchIgnoresCase: true } }, false)).toBe(true);
  });
});

describe('matchOn', () => {
  it('defaults to the one field mapped from the key', () => {
    expect(resolve(base).sync?.destination.matchOn).toBe('email');
  });

  it('accepts an explicit field mapped from the key, and picks it among several', () => {
    const twoFromKey: SyncDefinition = { ...base, mapping: { email: 'email', work_email: 'email' } };
    expect(resolve({ ...twoFromKey, destination: { ...base.destination, matchOn: 'work_email' } }).sync?.destination.matchOn).toBe('work_email');
    expect(resolve(twoFromKey).diagnostics).toMatchObject([{ code: 'MATCH_ON_UNRESOLVED', path: 'destination.matchOn' }]);
  });

  it('reports no field from the key, an unmapped matchOn, and one mapped from another column', () => {
    expect(resolve({ ...base, mapping: { firstname: 'first_name' } }).diagnostics).toMatchObject([{ code: 'MATCH_ON_UNRESOLVED', path: 'mapping' }]);
    expect(resolve({ ...base, destination: { ...base.destination, matchOn: 'hs_id' } }).diagnostics).toMatchObject([
      { code: 'MATCH_ON_INVALID', path: 'destination.matchOn', sync: 'contacts', file: 'syncs/contacts.sync.ts' },
    ]);
    const wrongColumn = resolve({ ...base, destination: { ...base.destination, matchOn: 'firstname' } });
    expect(wrongColumn.sync).toBeUndefined();
    expect(wrongColumn.diagnostics[0]?.message).toContain('mapped from column `first_name`');
  });
});

describe('sensitive', () => {
  it('is refused on the key field, which every plan, --json and `ebb errors` shows', () => {
    const sensitiveKey = resolve({ ...base, mapping: { email: { from: 'email', sensitive: true }, firstname: 'first_name' } });
    expect(sensitiveKey.sync).toBeUndefined();
    expect(sensitiveKey.diagnostics).toMatchObject([
      { severity: 'error', code: 'SENSITIVE_KEY', path: 'mapping.email.sensitive', sync: 'contacts', file: 'syncs/contacts.sync.ts' },
    ]);
    expect(sensitiveKey.diagnostics[0]?.message).toContain('Drop `sensitive` from it, or key the sync by a column that is not sensitive');
  });

  it('is refused on every field mapped from the key column, not only matchOn', () => {
    const copyOfKey: SyncDefinition = {
      ...base,
      destination: { ...base.destination, matchOn: 'email' },
      mapping: { email: 'email', work_email: { from: 'email', sensitive: true } },
    };
    expect(resolve(copyOfKey).diagnostics).toMatchObject([{ code: 'SENSITIVE_KEY', path: 'mapping.work_email.sensitive' }]);
  });

  it('is accepted on any other field, and `sensitive: false` on the key', () => {
    expect(resolve(base).diagnostics).toEqual([]);
    expect(resolve({ ...base, mapping: { ...base.mapping, email: { from: 'email', sensitive: false } } }).diagnostics).toEqual([]);
  });
});
