import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../../core/errors.ts';
import type { Row } from '../../core/values.ts';
import { assertReadOptions, RowBatcher } from '../normalise/batches.ts';
import type { ColumnInfo, ReadOptions, SourceSession } from '../source.ts';
import { ChunkRowReader } from './chunk-rows.ts';
import { Deadline } from './deadline.ts';
import { duckdbError } from './errors.ts';
import { assertCountable, countQueryRows, shortResultError } from './row-count.ts';
import { IN_MEMORY, type ResolvedDuckDBOptions } from './options.ts';

const STREAMING = 'while streaming the query result';

/**
 * One DuckDB database and one connection. Init SQL (ATTACH, USE, SET, temp views) is connection
 * state, so every query runs on that one connection, one read at a time.
 */
export class DuckDBSourceSession implements SourceSession {
  private closed = false;
  private busy = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: ResolvedDuckDBOptions): Promise<DuckDBSourceSession> {
    if (options.path !== IN_MEMORY && options.readOnly && !existsSync(options.path)) {
      throw new SourceError(
        `DuckDB file not found: ${options.path}\nHint: check \`path\` in the DuckDB connection options (relative paths start at the project root); a read-only source never creates the file.`,
        { code: 'SOURCE_CONNECTION' },
      );
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      throw duckdbError(error, `to open ${options.path}`, { code: 'SOURCE_CONNECTION' });
    }
    const connection = await instance.connect();
    const session = new DuckDBSourceSession(instance, connection);
    for (const sql of options.init) {
      try {
        await connection.run(sql);
      } catch (error) {
        await session.close();
        throw duckdbError(error, `to run init SQL \`${sql}\``, { code: 'SOURCE_CONNECTION' });
      }
    }
    return session;
  }

  async *read(query: string, options: ReadOptions): AsyncGenerator<Row[]> {
    assertReadOptions(options);
    this.claim('read');
    const deadline = new Deadline(this.connection, options.timeoutMs);
    let inTransaction = false;
    try {
      // The count and the stream must see the same data.
      await this.connection.run('BEGIN TRANSACTION');
      inTransaction = true;
      const expected = await deadline.within('to run the query', () => countQueryRows(this.connection, query));
      const result = await deadline.within('to run the query', () => this.connection.stream(query));
      const reader = new ChunkRowReader(result);
      const batcher = new RowBatcher(options.batchSize);
      let received = 0;
      for (;;) {
        this.assertOpen();
        const chunk = await deadline.within(STREAMING, () => result.fetchChunk());
        if (!chunk || chunk.rowCount === 0) break;
        received += chunk.rowCount;
        for (const batch of batcher.push(reader.rows(chunk))) {
          this.assertOpen();
          yield batch;
        }
      }
      // An interrupt or a failure part-way also ends the stream quietly (see row-count.ts).
      if (deadline.hasExpired()) throw deadline.explain(new Error('interrupted while streaming the query result'), STREAMING);
      if (received !== expected) {
        // A stream that failed may have aborted the transaction: end it before asking DuckDB why.
        await this.connection.run('ROLLBACK');
        inTransaction = false;
        // Finding out why recomputes the query: within the read's time, like the rest of it.
        const short = await deadline.within(STREAMING, () => shortResultError(this.connection, query, received, expected));
        throw deadline.hasExpired() ? deadline.explain(short, STREAMING) : short;
      }
      const last = batcher.flush();
      if (last) yield last;
      await this.connection.run('COMMIT');
      inTransaction = false;
    } finally {
      deadline.clear();
      if (inTransaction && !this.closed) await this.connection.run('ROLLBACK').catch(() => undefined);
      this.busy = false;
    }
  }

  async describe(query: string): Promise<ColumnInfo[]> {
    this.claim('describe');
    try {
      const prepared = await this.connection.prepare(query);
      const columns: ColumnInfo[] = [];
      try {
        for (let index = 0; index < prepared.columnCount; index++) {
          const type = prepared.columnType(index);
          columns.push({ name: prepared.columnName(index), type: type.alias ?? type.toString() });
        }
      } finally {
        prepared.destroySync();
      }
      // A read counts the query's rows (see row-count.ts): a query that cannot be counted cannot be read.
      await assertCountable(this.connection, query);
      return columns;
    } catch (error) {
      throw error instanceof SourceError ? error : duckdbError(error, 'to describe the query');
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A read still streaming is interrupted rather than left computing on a closing connection.
    if (this.busy) this.connection.interrupt();
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(doing = 'read'): void {
    if (this.closed) throw new SourceError(`cannot ${doing}: this DuckDB session is closed; open a new one`, { code: 'SOURCE_CLOSED' });
  }

  private claim(doing: string): void {
    this.assertOpen(doing);
    if (this.busy) {
      throw new SourceError(
        `cannot ${doing} while another read is streaming on this DuckDB session; finish or break out of that read first, or open a second session`,
        { code: 'SOURCE_BUSY' },
      );
    }
    this.busy = true;
  }
}
