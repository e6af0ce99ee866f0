/**
 * The source contract's fixture (see source-contract.ts) in DuckDB's dialect: used by the DuckDB source
 * and by the Snowflake emulator, which runs DuckDB behind Snowflake's wire format.
 */
export const DUCKDB_FIXTURE_SQL = `
CREATE TABLE contract_fixture (
  id INTEGER, flag BOOLEAN, small_int SMALLINT, big_int BIGINT, negative_big_int BIGINT,
  amount DECIMAL(12,2), ratio DOUBLE, day DATE, ts TIMESTAMP, ts_tz TIMESTAMPTZ, label VARCHAR,
  uid UUID, doc JSON, tags INTEGER[], payload BLOB
);
INSERT INTO contract_fixture VALUES
  (1, true, 42, 9007199254740993, -9223372036854775808, 1234.50, 0.1, DATE '2024-02-29',
   TIMESTAMP '2024-03-10 12:34:56.789123', TIMESTAMPTZ '2024-03-10 12:34:56.789+05:30',
   'Zoë O''Brien — 日本語 🎉', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   '{"a":1,"b":[true,null,"x"],"c":{"d":"é"}}', [1, 2, 3], '\\x65\\x62\\x62\\x00\\xFF'::BLOB),
  (2, false, -32768, 9007199254740991, -9007199254740992, -0.05, 'NaN'::DOUBLE, DATE '1969-07-20',
   TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '1999-12-31 23:59:59.5-08:00',
   '', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[1,"two",{"three":3.5}]', [], ''::BLOB),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

/** The contract's series of `n` rows (id, name, amount, created_at) in DuckDB's dialect. */
export function duckdbSeriesQuery(n: number): string {
  return `
      SELECT i::INTEGER AS id, 'customer ' || i AS name, (i * 1.25)::DECIMAL(12,2) AS amount,
             TIMESTAMP '2024-01-01' + i * INTERVAL 1 SECOND AS created_at
      FROM range(1, ${n} + 1) AS t(i)`;
}

/** The contract's JSON documents, one row each (id, doc), in DuckDB's dialect: JSON keeps the text as written. */
export function duckdbJsonQuery(documents: readonly string[]): string {
  const rows = documents.map((text, index) => `(${index + 1}, '${text.replace(/'/g, "''")}'::JSON)`);
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(id, doc) ORDER BY id`;
}
