import { DuckDBInstance } from '@duckdb/node-api';
import { startHubspotSandbox, type HubspotSandbox, type HubspotSandboxOptions } from '../../src/sandbox/hubspot/index.ts';
import { sandboxProject, type SandboxProject } from './project-runner.ts';
import { createTestProject, duckdbExec, writeWarehouseConfig, type TestProject } from './project.ts';

export const HUBSPOT_TOKEN = 'pat-na1-e2e-test-token';

/** The warehouse columns and the HubSpot contact properties they map to. */
export const CONTACT_MAPPING = {
  email: 'email',
  firstname: 'first_name',
  lastname: 'last_name',
  lifecyclestage: 'lifecycle_stage',
  num_employees_custom: 'employees',
  date_of_birth: 'birth_date',
} as const;

export interface HubspotProjectOptions {
  rows: number;
  /** `requestsPer10s` on the connection; left out, the connector's default (100) applies. */
  requestsPer10s?: number;
  maxConcurrent?: number;
  /** The sandbox's limits and knobs (its token is always HUBSPOT_TOKEN). */
  sandbox?: Omit<HubspotSandboxOptions, 'tokens'>;
  /** Contact properties the sync marks `sensitive: true`. */
  sensitive?: readonly (keyof typeof CONTACT_MAPPING)[];
}

export interface HubspotProject extends SandboxProject<HubspotSandbox> {
  /** Live sandbox contacts by email, with only the mapped properties. */
  contacts(): Map<string, Record<string, string>>;
  /** The model as HubSpot should store it, by email: what `contacts()` must equal once synced. */
  model(): Promise<Map<string, Record<string, string>>>;
}

/**
 * A project syncing a DuckDB `customers` table to the HubSpot sandbox's `contacts`, upserted by
 * email, with the real `@hubspot/api-client` and the token given as an env reference.
 */
export async function createHubspotProject(options: HubspotProjectOptions): Promise<HubspotProject> {
  const project = createTestProject('ebb-hubspot-');
  const sandbox = await startHubspotSandbox({ ...options.sandbox, tokens: [HUBSPOT_TOKEN] });
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [
    `create table customers as select 'user' || i || '@example.com' as email, 'First' || i as first_name, 'Last' || i as last_name,
       ['subscriber', 'lead', 'customer'][1 + i % 3] as lifecycle_stage, (i % 500)::integer as employees,
       strftime(date '1970-01-01' + (i % 15000)::integer, '%Y-%m-%d') as birth_date
     from range(1, ${options.rows + 1}) t(i)`,
  ]);
  const limits = [
    options.requestsPer10s !== undefined ? `requestsPer10s: ${options.requestsPer10s},` : '',
    options.maxConcurrent !== undefined ? `maxConcurrent: ${options.maxConcurrent},` : '',
  ].join(' ');
  writeWarehouseConfig(project, {
    name: 'hubspot',
    source: `{ kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN'), baseUrl: ${JSON.stringify(sandbox.url)}, ${limits} }`,
  });
  project.write(
    'syncs/contacts.sync.ts',
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select * from customers' },
  key: 'email',
  destination: { connection: 'hubspot', object: 'contacts', matchOn: 'email' },
  mapping: ${JSON.stringify(mappingOf(options.sensitive ?? []))},
  mode: 'upsert',
});
`,
  );

  const env = { HUBSPOT_TOKEN };
  return {
    ...sandboxProject(project, sandbox, env, warehouse),
    contacts: () => new Map(sandbox.records('contacts').map((record) => [record.properties['email'] ?? '', mappedProperties(record.properties)])),
    model: () => readModel(warehouse),
  };
}

function mappingOf(sensitive: readonly string[]): Record<string, string | { from: string; sensitive: true }> {
  return Object.fromEntries(Object.entries(CONTACT_MAPPING).map(([property, column]) => [property, sensitive.includes(property) ? { from: column, sensitive: true } : column]));
}

function mappedProperties(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(CONTACT_MAPPING).map((name) => [name, properties[name] ?? '']));
}

/** The warehouse rows rendered as HubSpot stores them: strings, e-mails lower-cased, null as "". */
async function readModel(warehouse: string): Promise<Map<string, Record<string, string>>> {
  const columns = Object.entries(CONTACT_MAPPING).map(([property, column]) => `coalesce(${column}::varchar, '') as ${property}`);
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`select ${columns.join(', ')} from customers`);
    const rows = reader.getRowObjectsJS() as Record<string, string>[];
    return new Map(rows.map((row) => [String(row['email']).toLowerCase(), { ...row, email: String(row['email']).toLowerCase() }]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
