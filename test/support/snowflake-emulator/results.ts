import { randomBytes } from 'node:crypto';
import type { DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';
import type { ColumnCodec, RowType } from './types.ts';

/** One downloadable chunk of a result: rows [start, end). */
export interface ChunkRange {
  start: number;
  end: number;
}

/**
 * A finished query's rows, kept in DuckDB's columnar form and encoded to Snowflake's JSON cells only
 * when the driver asks for them (inline rows at answer time, chunks on download), so a million-row
 * result does not sit in memory as JSON.
 */
export class StoredResult {
  /** Per-result secret the driver echoes as `x-amz-server-side-encryption-customer-key` on chunk GETs. */
  readonly qrmk = randomBytes(16).toString('base64');
  readonly chunks: ChunkRange[] = [];
  readonly inlineRows: number;
  private readonly chunkOffsets: number[] = [];

  constructor(
    readonly queryId: string,
    readonly sessionId: number,
    private readonly result: DuckDBMaterializedResult | undefined,
    readonly codecs: ColumnCodec[],
    readonly rowCount: number,
    layout: { inlineRowLimit: number; chunkRowCount: number },
    /** Already-encoded rows, for the one-row answers to DDL and DML. */
    private readonly fixedRows?: (string | null)[][],
  ) {
    this.inlineRows = Math.min(rowCount, layout.inlineRowLimit);
    for (let start = this.inlineRows; start < rowCount; start += layout.chunkRowCount) {
      this.chunks.push({ start, end: Math.min(rowCount, start + layout.chunkRowCount) });
    }
    let offset = 0;
    for (let index = 0; result && index < result.chunkCount; index++) {
      this.chunkOffsets.push(offset);
      offset += result.getChunk(index).rowCount;
    }
  }

  get rowTypes(): RowType[] {
    return this.codecs.map((codec) => codec.rowType);
  }

  /** Encoded rows [start, end), each an array of wire cells. */
  encodeRows(start: number, end: number): (string | null)[][] {
    if (this.fixedRows) return this.fixedRows.slice(start, end);
    const rows: (string | null)[][] = [];
    if (!this.result || start >= end) return rows;
    let index = this.duckChunkContaining(start);
    while (index < this.result.chunkCount && rows.length < end - start) {
      const chunk = this.result.getChunk(index);
      const chunkStart = this.chunkOffsets[index]!;
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end, chunkStart + chunk.rowCount) - chunkStart;
      const columns: DuckDBValue[][] = chunk.getColumns();
      for (let row = from; row < to; row++) {
        rows.push(this.codecs.map((codec, column) => codec.encode(columns[column]![row] ?? null)));
      }
      index++;
    }
    return rows;
  }

  private duckChunkContaining(row: number): number {
    let low = 0;
    let high = this.chunkOffsets.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.chunkOffsets[middle]! <= row) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
