import { DuckDBInstance } from '@duckdb/node-api';
import type { Row } from '../../src/core/values.ts';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../src/sandbox/salesforce/index.ts';
import { sandboxProject, type SandboxProject } from './project-runner.ts';
import { createTestProject, duckdbExec, writeWarehouseConfig, type TestProject } from './project.ts';

export const SALESFORCE_TOKEN = 'sf-e2e-session-token';
export const SYNC = 'accounts';

/** Account fields and the warehouse columns they come from, as in syncs/salesforce-accounts.sync.ts. */
export const ACCOUNT_MAPPING = {
  External_Id__c: 'company_id',
  Name: 'name',
  Website: 'domain',
  Industry: 'industry',
  NumberOfEmployees: 'employees',
} as const;

export interface SalesforceProjectOptions {
  /** Companies in the warehouse, keyed `co-000001`, `co-000002`, ... */
  rows: number;
  /** Connector options left out here take the connector's defaults. */
  bulkThreshold?: number;
  dailyBudgetPercent?: number;
  requestsPerSecond?: number;
  maxConcurrent?: number;
  /**
   * How long a spent budget is trusted before /limits is read again. Tests that "reset the day" set 0:
   * the budget observation is process-wide, and the connector's 60 s default would outlive the reset.
   */
  budgetRecheckMs?: number;
  /** First bulk poll interval; tests keep it short (the sandbox advances a job per poll, not per second). */
  bulkPollIntervalMs?: number;
  /** The org's rolling 24 h allocation and what is already used of it when the sandbox starts. */
  dailyAllocation?: number;
  apiUsage?: number;
  /** Any other sandbox knob (rejectRowKeys, lockRowKeys, bulkPollsBeforeComplete, ...). */
  sandbox?: Omit<SalesforceSandboxOptions, 'accessToken' | 'dailyAllocation' | 'apiUsage'>;
}

export interface SalesforceProject extends SandboxProject<SalesforceSandbox> {
  /** Sandbox Accounts by External_Id__c, with only the mapped fields. */
  accounts(): Map<string, Row>;
  /** The model as Salesforce should store it, by company_id: what `accounts()` must equal once synced. */
  model(): Promise<Map<string, Row>>;
}

function connectionOptions(o: SalesforceProjectOptions): string {
  const numbers = ['bulkThreshold', 'dailyBudgetPercent', 'requestsPerSecond', 'maxConcurrent', 'budgetRecheckMs', 'bulkPollIntervalMs'] as const;
  return numbers.flatMap((name) => (o[name] !== undefined ? [`${name}: ${o[name]},`] : [])).join(' ');
}

/**
 * A project syncing a DuckDB `companies` table to the Salesforce sandbox's Accounts, upserted by
 * External_Id__c, through the real jsforce, with the session token given as an env reference.
 */
export async function createSalesforceProject(options: SalesforceProjectOptions): Promise<SalesforceProject> {
  const project = createTestProject('ebb-salesforce-');
  const sandbox = await startSalesforceSandbox({
    ...options.sandbox,
    accessToken: SALESFORCE_TOKEN,
    ...(options.dailyAllocation !== undefined ? { dailyAllocation: options.dailyAllocation } : {}),
    ...(options.apiUsage !== undefined ? { apiUsage: options.apiUsage } : {}),
  });
  const warehouse = project.path('warehouse.duckdb');
  await duckdbExec(warehouse, [
    `create table companies as
     select 'co-' || lpad(i::varchar, 6, '0') as company_id,
            ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'][1 + i % 5] || ' ' || i as name,
            'company' || i || '.example.com' as domain,
            ['Technology', 'Retail', 'Banking', 'Healthcare'][1 + i % 4] as industry,
            (10 + (i * 37) % 5000)::integer as employees
     from range(1, ${options.rows + 1}) t(i)`,
  ]);
  writeWarehouseConfig(project, {
    name: 'salesforce',
    source: `{ kind: 'salesforce', instanceUrl: ${JSON.stringify(sandbox.url)}, accessToken: env('SALESFORCE_ACCESS_TOKEN'), ${connectionOptions(options)} }`,
  });
  project.write(
    `syncs/${SYNC}.sync.ts`,
    `import { defineSync } from 'ebb';
export default defineSync({
  source: { connection: 'warehouse', query: 'select company_id, name, domain, industry, employees from companies' },
  key: 'company_id',
  destination: { connection: 'salesforce', object: 'Account', matchOn: 'External_Id__c' },
  mapping: ${JSON.stringify(ACCOUNT_MAPPING)},
  mode: 'upsert',
});
`,
  );

  const env = { SALESFORCE_ACCESS_TOKEN: SALESFORCE_TOKEN };
  return {
    ...sandboxProject(project, sandbox, env, warehouse),
    accounts: () => new Map([...sandbox.recordsBy('Account', 'External_Id__c')].map(([key, record]) => [key, mappedFields(record)])),
    model: () => readModel(warehouse),
  };
}

function mappedFields(record: Row): Row {
  return Object.fromEntries(Object.keys(ACCOUNT_MAPPING).map((field) => [field, record[field] ?? null]));
}

/** The warehouse rows under their Account field names (employees stay numbers, as Salesforce stores ints). */
async function readModel(warehouse: string): Promise<Map<string, Row>> {
  const columns = Object.entries(ACCOUNT_MAPPING).map(([field, column]) => `${column} as ${field}`);
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`select ${columns.join(', ')} from companies`);
    const rows = reader.getRowObjectsJS() as Row[];
    return new Map(rows.map((row) => [String(row['External_Id__c']), row]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
