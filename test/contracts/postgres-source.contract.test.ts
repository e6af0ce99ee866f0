import { afterAll, beforeAll } from 'vitest';
import { postgresSource } from '../../src/sources/postgres/index.ts';
import { createTestSchema, POSTGRES_URL, type TestSchema } from '../support/postgres.ts';
import { describeSourceContract, type SourceHarness } from './source-contract.ts';

/** The contract fixture (see source-contract.ts) in Postgres' dialect, created in the test file's own schema. */
const FIXTURE_SQL = (schema: string) => `
CREATE TABLE ${schema}.contract_fixture (
  id integer, flag boolean, small_int smallint, big_int bigint, negative_big_int bigint,
  amount numeric(12,2), ratio double precision, day date, ts timestamp, ts_tz timestamptz, label text,
  uid uuid, doc jsonb, tags integer[], payload bytea
);
INSERT INTO ${schema}.contract_fixture VALUES
  (1, true, 42, 9007199254740993, -9223372036854775808, 1234.50, 0.1, '2024-02-29',
   '2024-03-10 12:34:56.789123', '2024-03-10 12:34:56.789+05:30',
   'Zoë O''Brien — 日本語 🎉', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   '{"a":1,"b":[true,null,"x"],"c":{"d":"é"}}', '{1,2,3}', '\\x65626200ff'),
  (2, false, -32768, 9007199254740991, -9007199254740992, -0.05, 'NaN', '1969-07-20',
   '1969-12-31 23:59:59.999999', '1999-12-31 23:59:59.5-08:00',
   '', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[1,"two",{"three":3.5}]', '{}', '\\x'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

let schema: TestSchema;

beforeAll(async () => {
  schema = await createTestSchema('source_contract');
  await schema.query(FIXTURE_SQL(schema.name));
});

afterAll(async () => {
  await schema?.drop();
});

describeSourceContract('postgres', async (): Promise<SourceHarness> => {
  const session = await postgresSource.open({ connectionString: POSTGRES_URL }, { rootDir: process.cwd() });
  return {
    session,
    fixtureQuery: `SELECT * FROM ${schema.name}.contract_fixture ORDER BY id`,
    seriesQuery: (n) => `
      SELECT i::integer AS id, 'customer ' || i AS name, (i * 1.25)::numeric(12,2) AS amount,
             timestamp '2024-01-01' + i * interval '1 second' AS created_at
      FROM generate_series(1, ${n}) AS t(i)`,
    // jsonb stores numbers as numeric and prints every digit (1.5e300 as 301 of them).
    jsonQuery: (documents) =>
      `SELECT * FROM (VALUES ${documents.map((text, index) => `(${index + 1}, '${text.replace(/'/g, "''")}'::jsonb)`).join(', ')}) AS t(id, doc) ORDER BY id`,
    close: () => session.close(),
  };
});
