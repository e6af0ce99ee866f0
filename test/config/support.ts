import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ProjectKinds } from '../../src/config/index.ts';
import type { ConnectorDefinition, ObjectCapabilities, WriteOperation } from '../../src/connectors/connector.ts';
import { TerminalError } from '../../src/core/errors.ts';
import type { SourceDefinition } from '../../src/sources/source.ts';

/**
 * Small kinds of our own interfaces, enough for the loader to check options, objects and modes.
 * The config layer never opens connections, so `open` refuses.
 */
const OBJECTS: Record<string, WriteOperation[]> = {
  contacts: ['upsert', 'create', 'update', 'delete'],
  companies: ['create', 'update'],
  notes: ['create'],
};

const notOpened = (): Promise<never> => Promise.reject(new TerminalError('config tests never open connections'));

const duckdb: SourceDefinition = {
  kind: 'duckdb',
  validateOptions: (options) => (typeof options.path === 'string' ? [] : ['set `path` to the DuckDB database file, e.g. `.ebb/demo.duckdb`.']),
  open: notOpened,
};

const hubspot: ConnectorDefinition = {
  kind: 'hubspot',
  validateOptions: (options) => (options.accessToken === undefined ? ['set `accessToken: env(\'HUBSPOT_TOKEN\')`.'] : []),
  capabilities(object): ObjectCapabilities {
    const operations = OBJECTS[object];
    if (!operations) throw new TerminalError(`HubSpot has no object \`${object}\`; known objects: ${Object.keys(OBJECTS).join(', ')}.`);
    return { operations, maxBatchSize: { upsert: 100, create: 100, update: 100, delete: 100 } };
  },
  rateBudget: () => ({ requests: 100, windowMs: 10_000, maxConcurrent: 4 }),
  accountKey: (options) => `hubspot:${String(options.baseUrl)}`,
  open: notOpened,
};

export const testKinds: ProjectKinds = { sources: { duckdb }, connectors: { hubspot } };

export const VALID_FIXTURE = resolve(import.meta.dirname, 'fixtures/valid');

/** Absolute path of define.ts, for generated files outside the package (where `'ebb'` does not resolve). */
export const DEFINE_MODULE = resolve(import.meta.dirname, '../../src/config/define.ts');

const created: string[] = [];

/**
 * Writes a throwaway project. Broken files live in the OS temp folder, not under test/, because the
 * repository's typecheck covers test/ and must not see deliberately invalid TypeScript.
 */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ebb-config-'));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export function removeProjects(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

export const VALID_CONFIG = `
import { defineConfig, env } from '${DEFINE_MODULE}';
export default defineConfig({
  connections: {
    warehouse: { kind: 'duckdb', path: 'demo.duckdb' },
    hubspot: { kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN') },
  },
});
`;

/** A sync file whose fields can be overridden; values are TypeScript source text. */
export function syncFile(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    source: `{ connection: 'warehouse', query: 'select * from customers' }`,
    key: `'email'`,
    destination: `{ connection: 'hubspot', object: 'contacts' }`,
    mapping: `{ email: 'email', firstname: 'first_name' }`,
    ...fields,
  };
  const body = Object.entries(base)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `  ${name}: ${value},`)
    .join('\n');
  return `export default {\n${body}\n};\n`;
}
