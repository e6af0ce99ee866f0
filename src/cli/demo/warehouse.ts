import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { runDuckdbStatements } from '../../sources/duckdb/run-statements.ts';

/**
 * The demo's warehouse: deterministic customers, companies and deals in a DuckDB file (the same rows
 * on every machine), shaped like a typical analytics mart.
 */
export const DEMO_SIZES = { customers: 3000, companies: 600, deals: 2000 } as const;

const CREATE = [
  `create table companies as
   select 'co-' || lpad(i::varchar, 4, '0') as company_id,
          ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'][1 + i % 10] || ' ' || i as name,
          'company' || i || '.example.com' as domain,
          ['COMPUTER_SOFTWARE', 'RETAIL', 'BANKING', 'FINANCIAL_SERVICES', 'MARKETING_AND_ADVERTISING', 'HOSPITAL_HEALTH_CARE'][1 + i % 6] as industry,
          (10 + (i * 37) % 5000)::integer as employees
   from range(1, ${DEMO_SIZES.companies + 1}) t(i)`,
  `create table customers as
   select 'cu-' || lpad(i::varchar, 5, '0') as customer_id,
          'customer' || i || '@example.com' as email,
          ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'John'][1 + i % 10] as first_name,
          ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Allen', 'Backus'][1 + (i * 7) % 10] as last_name,
          '+33 1 ' || lpad(((i * 7919) % 100000000)::varchar, 8, '0') as phone,
          ['free', 'pro', 'team', 'enterprise'][1 + i % 4] as plan,
          ((i * 131) % 250000 / 100.0)::decimal(12, 2) as lifetime_value,
          ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'][1 + i % 6] as lifecycle_stage,
          'co-' || lpad((1 + i % ${DEMO_SIZES.companies})::varchar, 4, '0') as company_id,
          ['FR', 'DE', 'US', 'GB', 'JP', 'BR'][1 + i % 6] as country
   from range(1, ${DEMO_SIZES.customers + 1}) t(i)`,
  `create table deals as
   select 'de-' || lpad(i::varchar, 5, '0') as deal_id,
          'Renewal ' || i as name,
          ((i * 977) % 5000000 / 100.0)::decimal(12, 2) as amount,
          ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'contractsent', 'closedwon', 'closedlost'][1 + i % 6] as stage,
          date '2026-01-01' + (i % 365)::integer as close_date,
          'co-' || lpad((1 + i % ${DEMO_SIZES.companies})::varchar, 4, '0') as company_id
   from range(1, ${DEMO_SIZES.deals + 1}) t(i)`,
];

/** What a day in the warehouse changes: a few renames, a promotion, a deal that closed, a new customer. */
export const DEMO_CHANGES = [
  `update customers set first_name = 'Adeline' where customer_id = 'cu-00010'`,
  `update customers set lifecycle_stage = 'customer', plan = 'enterprise' where customer_id = 'cu-00042'`,
  `update customers set phone = '+33 1 99999999' where customer_id = 'cu-00100'`,
  `insert into customers values ('cu-09999', 'newcomer@example.com', 'Linus', 'Torvalds', '+33 1 12345678', 'pro', 12.50, 'lead', 'co-0001', 'FI')`,
  `update deals set stage = 'closedwon', amount = 120000.00 where deal_id = 'de-00007'`,
  `update companies set employees = 4200 where company_id = 'co-0003'`,
];

export async function buildDemoWarehouse(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  await runDuckdbStatements(path, CREATE);
}

export async function changeDemoWarehouse(path: string): Promise<void> {
  await runDuckdbStatements(path, DEMO_CHANGES);
}
