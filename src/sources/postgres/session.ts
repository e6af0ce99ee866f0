import pg from 'pg';
import Cursor from 'pg-cursor';
import { SourceError } from '../../core/errors.ts';
import type { Row, Value } from '../../core/values.ts';
import { assertReadOptions, assertUniqueColumnNames } from '../normalise/batches.ts';
import { inexactJsonNumberError, type InexactJsonNumber } from '../normalise/json.ts';
import type { ColumnInfo, ReadOptions, SourceSession } from '../source.ts';
import { POSTGRES_JSON_AS_TEXT, postgresError } from './errors.ts';
import { createTypeParserLookup, type InexactJsonNote } from './text-parsers.ts';

/**
 * The text formats text-parsers.ts reads, fixed for this session whatever the server or role
 * defaults say: timestamptz printed in UTC, ISO dates, hex bytea, shortest-exact floats.
 */
const SESSION_SETUP = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'; SET extra_float_digits = 1`;

/** Array types created in this database (arrays of enums, domains, extension types) → element type. */
const USER_ARRAY_TYPES = `
  SELECT a.oid::int AS array_oid, COALESCE(NULLIF(e.typbasetype, 0), e.oid)::int AS element_oid
  FROM pg_type a JOIN pg_type e ON e.oid = a.typelem
  WHERE a.typcategory = 'A' AND a.oid >= 16384 AND e.typtype IN ('b', 'd', 'e')`;

const DEFAULT_APPLICATION_NAME = 'ebb';

/** How long past the read's deadline Postgres' own timeout error may take to arrive. */
const SILENCE_GRACE_MS = 2_000;

/**
 * One pg client. Reads go through a server-side cursor (pg-cursor), `batchSize` rows per fetch,
 * so memory is bounded by one batch. pg hands every value over as raw text through this client's
 * own type parsers; pg's global parsers are never touched.
 */
export class PostgresSourceSession implements SourceSession {
  private closed = false;
  private busy = false;
  private failure: Error | undefined;

  private constructor(
    private readonly client: pg.Client,
    /** The role's (or database's) own statement_timeout in ms at connection time; 0: none. */
    private readonly roleTimeoutMs: number,
    private readonly inexactJson: InexactJsonNote,
  ) {
    client.on('error', (error) => {
      // The first failure is the cause (cutting a silent connection makes pg report the cut as well).
      this.failure ??= error;
    });
  }

  static async open(config: pg.ClientConfig): Promise<PostgresSourceSession> {
    const userArrayElements = new Map<number, number>();
    const inexactJson: InexactJsonNote = { found: undefined };
    const parserFor = createTypeParserLookup(userArrayElements, inexactJson);
    const client = new pg.Client({ ...config, types: { getTypeParser: ((oid: number) => parserFor(oid)) as typeof pg.types.getTypeParser } });
    // Until the session exists, a dropped connection must not become an unhandled 'error' event.
    const earlyErrors = (): void => {};
    client.on('error', earlyErrors);
    try {
      await client.connect();
      await client.query(SESSION_SETUP);
      const timeout = await client.query<{ ms: string }>(`SELECT setting AS ms FROM pg_settings WHERE name = 'statement_timeout'`);
      const arrays = await client.query<{ array_oid: number; element_oid: number }>(USER_ARRAY_TYPES);
      for (const { array_oid, element_oid } of arrays.rows) userArrayElements.set(array_oid, element_oid);
      const session = new PostgresSourceSession(client, Number(timeout.rows[0]?.ms ?? 0), inexactJson);
      client.off('error', earlyErrors);
      return session;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw postgresError(error, `to connect to ${describeTarget(config)}`);
    }
  }

  async *read(query: string, options: ReadOptions): AsyncGenerator<Row[]> {
    assertReadOptions(options);
    this.claim('read');
    let cursor: Cursor<Row> | undefined;
    let failed = false;
    /** A value the read refuses to pass on; thrown once the cursor is closed. */
    let refusal: SourceError | undefined;
    this.inexactJson.found = undefined;
    // statement_timeout ends the query in Postgres, which then says so; a connection that went silent
    // (a network path gone, a NAT that forgot it) never says anything. Past the deadline and a grace for
    // that message, the socket is cut, so the read fails instead of waiting for ever.
    const backstop = options.timeoutMs === undefined ? undefined : setTimeout(() => this.cutSilentConnection(options.timeoutMs!), options.timeoutMs + SILENCE_GRACE_MS);
    try {
      await this.prepare(options.queryTag, options.timeoutMs);
      cursor = this.client.query(new Cursor<Row>(query));
      let first = true;
      for (;;) {
        const { rows, fields } = await readBatch(cursor, options.batchSize);
        if (first) assertUniqueColumnNames(fields.map((field) => field.name));
        first = false;
        const inexact = this.inexactJson.found;
        if (inexact) {
          const holder = columnHolding(rows, fields, inexact);
          refusal = inexactJsonNumberError(holder.name, inexact, POSTGRES_JSON_AS_TEXT, { nested: holder.inArray });
          break;
        }
        if (rows.length > 0) yield rows;
        if (rows.length < options.batchSize) break;
      }
    } catch (error) {
      failed = true;
      if (this.closed) throw new SourceError('the read stopped because this Postgres session was closed; open a new one', { cause: error, code: 'SOURCE_CLOSED' });
      throw this.stricterRoleTimeout(error, options.timeoutMs) ?? postgresError(this.failure ?? error, 'while running the query');
    } finally {
      clearTimeout(backstop);
      // After a server error pg-cursor has already re-synced the connection; closing then would
      // send a stray Close. Otherwise (finished, or the caller stopped early) release the portal.
      if (cursor && !failed) await cursor.close().catch(() => undefined);
      this.busy = false;
    }
    if (refusal) throw refusal;
  }

  async describe(query: string): Promise<ColumnInfo[]> {
    this.claim('describe');
    try {
      await this.prepare(undefined, undefined);
      const probe = await this.client.query({ text: `SELECT * FROM (\n${query.replace(/;\s*$/, '')}\n) AS ebb_describe LIMIT 0`, rowMode: 'array' });
      const types = await this.client.query<{ type: string }>(
        'SELECT format_type(t.oid, t.modifier) AS type FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS t(oid, modifier, n) ORDER BY n',
        [probe.fields.map((field) => field.dataTypeID), probe.fields.map((field) => field.dataTypeModifier)],
      );
      return probe.fields.map((field, index) => ({ name: field.name, type: types.rows[index]?.type ?? String(field.dataTypeID) }));
    } catch (error) {
      throw postgresError(this.failure ?? error, 'to describe the query');
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }

  /**
   * application_name attributes the query to its sync in pg_stat_activity; the timeout bounds the whole
   * read. A statement_timeout a DBA set on the role or database is a policy, so it is only ever shortened.
   */
  private async prepare(queryTag: string | undefined, timeoutMs: number | undefined): Promise<void> {
    const wanted = timeoutMs === undefined ? this.roleTimeoutMs : Math.ceil(timeoutMs);
    const timeout = String(this.roleTimeoutMs > 0 ? Math.min(this.roleTimeoutMs, wanted) : wanted);
    await this.client.query("SELECT set_config('application_name', $1, false), set_config('statement_timeout', $2, false)", [
      queryTag ?? DEFAULT_APPLICATION_NAME,
      timeout,
    ]);
  }

  private cutSilentConnection(timeoutMs: number): void {
    this.failure = new SourceError(
      `Postgres sent nothing for ${SILENCE_GRACE_MS} ms past the sync's readTimeout (${timeoutMs} ms), not even its own timeout: the connection was cut and the read abandoned; nothing was planned from it.\nHint: check the network path to Postgres (a firewall or NAT dropping idle connections), then plan again.`,
      { code: 'SOURCE_TIMEOUT' },
    );
    this.client.connection.stream.destroy();
  }

  /** A timeout that was the role's statement_timeout, shorter than the sync's readTimeout: raising readTimeout would not help. */
  private stricterRoleTimeout(error: unknown, timeoutMs: number | undefined): SourceError | undefined {
    if ((error as { code?: unknown }).code !== '57014' || this.roleTimeoutMs === 0 || (timeoutMs !== undefined && timeoutMs <= this.roleTimeoutMs)) return undefined;
    return new SourceError(
      `Postgres cancelled the query after the statement_timeout of its role or database (${this.roleTimeoutMs} ms), which is shorter than the sync's readTimeout.\nHint: make the model query cheaper, or have the role's limit raised (ALTER ROLE ... SET statement_timeout = ...): Ebb never lengthens a limit a DBA set.`,
      { cause: error, code: '57014' },
    );
  }

  private claim(doing: string): void {
    if (this.closed) throw new SourceError(`cannot ${doing}: this Postgres session is closed; open a new one`, { code: 'SOURCE_CLOSED' });
    if (this.failure) throw postgresError(this.failure, `to ${doing} (the connection was lost earlier; open a new session)`);
    if (this.busy) {
      throw new SourceError(
        `cannot ${doing} while another read is streaming on this Postgres session; finish or break out of that read first, or open a second session`,
        { code: 'SOURCE_BUSY' },
      );
    }
    this.busy = true;
  }
}

interface Batch {
  rows: Row[];
  fields: pg.FieldDef[];
}

/** cursor.read's promise form drops the field list, which the duplicate-name check needs. */
function readBatch(cursor: Cursor<Row>, rows: number): Promise<Batch> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, batch, result) => (error ? reject(error) : resolve({ rows: batch, fields: result?.fields ?? [] })));
  });
}

/** The column whose cell, or an element of whose array, the JSON parser left `inexact` in. */
function columnHolding(rows: readonly Row[], fields: readonly pg.FieldDef[], inexact: InexactJsonNumber): { name: string; inArray: boolean } {
  const holds = (value: Value | InexactJsonNumber): boolean => value === inexact || (Array.isArray(value) && value.some(holds));
  for (const field of fields) {
    for (const row of rows) {
      const value = row[field.name] as Value | InexactJsonNumber;
      if (holds(value)) return { name: field.name, inArray: value !== inexact };
    }
  }
  return { name: '(unknown)', inArray: false };
}

function describeTarget(config: pg.ClientConfig): string {
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'the server in connectionString';
    }
  }
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}
