import type { Readable } from 'node:stream';
import type { Connection, RowStatement } from 'snowflake-sdk';
import { SourceError } from '../../core/errors.ts';
import type { Row } from '../../core/values.ts';
import { assertReadOptions, assertUniqueColumnNames } from '../normalise/batches.ts';
import type { ColumnInfo, ReadOptions, SourceSession } from '../source.ts';
import { queryError } from './errors.ts';
import { cellConverter, snowflakeTypeName, type CellConverter } from './normalise.ts';
import type { SnowflakeOptions } from './options.ts';
import { missingRowsError } from './row-count.ts';
import { executeStreaming, queryTagFor } from './statement.ts';

export class SnowflakeSourceSession implements SourceSession {
  private closed = false;
  /** Row streams of reads in progress, so close() can stop them. */
  private readonly streams = new Set<Readable>();

  constructor(
    private readonly connection: Connection,
    private readonly options: SnowflakeOptions,
  ) {}

  async *read(query: string, options: ReadOptions): AsyncGenerator<Row[]> {
    assertReadOptions(options);
    this.assertOpen('read');
    const startedAt = Date.now();
    let statement: RowStatement;
    try {
      statement = await executeStreaming(this.connection, query, { queryTag: queryTagFor(options.queryTag), timeoutMs: options.timeoutMs });
    } catch (error) {
      throw this.closed ? closedDuringRead() : queryError(error, this.options);
    }
    if (this.closed) throw closedDuringRead();
    const toRow = rowBuilder(statement);
    const stream = statement.streamRows();
    this.streams.add(stream);
    // STATEMENT_TIMEOUT_IN_SECONDS bounds the query in Snowflake, not the chunk downloads after it; the
    // driver can wait for ever on a damaged chunk, so the rest of the read's time is enforced here.
    const deadline = options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stream.destroy(readTimedOut(options.timeoutMs!)), Math.max(0, startedAt + options.timeoutMs - Date.now()));
    let batch: Row[] = [];
    let delivered = 0;
    try {
      // Async iteration pulls one row at a time: while the consumer holds a yielded batch nothing is
      // read, the driver's row buffer fills to its high-water mark and it stops fetching chunks.
      // That is the backpressure which keeps memory flat however many rows the query returns.
      for await (const cells of stream as AsyncIterable<unknown[]>) {
        batch.push(toRow(cells));
        delivered++;
        if (batch.length >= options.batchSize) {
          const full = batch;
          batch = [];
          yield full;
        }
      }
    } catch (error) {
      throw queryError(error, this.options);
    } finally {
      clearTimeout(deadline);
      // Reached when the consumer stops early too: drop buffered rows and stop chunk downloads.
      this.streams.delete(stream);
      if (!stream.destroyed) stream.destroy();
    }
    // Chunk downloads need no session, so a stream could otherwise run to its end after close().
    if (this.closed) throw closedDuringRead();
    // The driver can end a stream quietly with rows missing (see row-count.ts): count before the last batch goes out.
    const missing = missingRowsError(statement, delivered);
    if (missing) throw missing;
    if (batch.length > 0) yield batch;
  }

  async describe(query: string): Promise<ColumnInfo[]> {
    this.assertOpen('describe');
    try {
      const statement = await executeStreaming(this.connection, query, { queryTag: undefined, timeoutMs: undefined }, { describeOnly: true });
      return (statement.getColumns() ?? []).map((column) => ({ name: column.getName(), type: snowflakeTypeName(column) }));
    } catch (error) {
      throw queryError(error, this.options);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A read cut short must fail, never end quietly as if its partial result were complete.
    for (const stream of this.streams) stream.destroy(closedDuringRead());
    this.streams.clear();
    await new Promise<void>((resolve) => {
      // A session that is already gone server-side (expired, terminated) counts as closed.
      this.connection.destroy(() => resolve());
    });
  }

  private assertOpen(doing: string): void {
    if (this.closed) throw new SourceError(`cannot ${doing}: this Snowflake session is closed; open a new one`, { code: 'SOURCE_CLOSED' });
  }
}

function readTimedOut(timeoutMs: number): SourceError {
  return new SourceError(
    `the Snowflake result did not finish streaming within ${timeoutMs} ms (the sync's readTimeout); nothing was planned from the partial result.\nHint: raise \`readTimeout\` on the sync or in \`defaults\` if the model is that slow to read; if a result download stalled, run the plan again.`,
    { code: 'SOURCE_TIMEOUT' },
  );
}

function closedDuringRead(): SourceError {
  return new SourceError('the Snowflake session was closed while a read was streaming; its result is incomplete', { code: 'SOURCE_CLOSED' });
}

/** Builds row objects by column name, refusing queries whose columns share a name. */
function rowBuilder(statement: RowStatement): (cells: unknown[]) => Row {
  const columns = statement.getColumns() ?? [];
  const names = columns.map((column) => column.getName());
  assertUniqueColumnNames(names);
  const converters: CellConverter[] = columns.map(cellConverter);
  return (cells) => {
    const row: Row = {};
    for (let index = 0; index < names.length; index++) row[names[index]!] = converters[index]!(cells[index]);
    return row;
  };
}
