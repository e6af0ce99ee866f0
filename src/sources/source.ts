import type { Row } from '../core/values.ts';

/**
 * A warehouse reader. A source knows nothing about keys, diffs or snapshots: it runs a query and
 * streams normalised rows (see core/values.ts for the normalisation every source must follow).
 */
export interface ReadOptions {
  /** Rows per yielded batch. */
  batchSize: number;
  /** Attributes warehouse cost to a sync (Snowflake QUERY_TAG `ebb:<sync>`, Postgres application_name). */
  queryTag?: string;
  /** Abort the query after this long. */
  timeoutMs?: number;
}

export interface ColumnInfo {
  name: string;
  /** The warehouse's own type name, for diagnostics (`BIGINT`, `NUMBER(38,0)`, `TIMESTAMP_NTZ`). */
  type: string;
}

export interface SourceSession {
  /**
   * Streams the query's rows in batches. Memory must not grow with the row count: implementations
   * use cursors / chunked results and yield as they go. Failures are thrown as `SourceError`.
   */
  read(query: string, options: ReadOptions): AsyncIterable<Row[]>;
  /** Column names and types of a query without fetching its rows (used by `ebb validate`). */
  describe?(query: string): Promise<ColumnInfo[]>;
  close(): Promise<void>;
}

/**
 * A source kind (`duckdb`, `postgres`, `snowflake`). `open` receives the connection's options with
 * secret references already resolved; the definition itself is cheap to import.
 */
export interface SourceDefinition {
  kind: string;
  /** Checks the connection options; returns human-readable problems (empty when fine). */
  validateOptions(options: Record<string, unknown>): string[];
  open(options: Record<string, unknown>, context: SourceContext): Promise<SourceSession>;
}

export interface SourceContext {
  /** Project root, to resolve relative file paths (DuckDB files, key files). */
  rootDir: string;
}
