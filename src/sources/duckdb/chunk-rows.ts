import type { DuckDBDataChunk, DuckDBResult, DuckDBVector } from '@duckdb/node-api';
import type { Row, Value } from '../../core/values.ts';
import { assertUniqueColumnNames } from '../normalise/batches.ts';
import { createRowFactory, type RowFactory } from '../normalise/row-factory.ts';
import { AS_IS, converterFor, type ValueConverter } from './value-converters.ts';

/**
 * Converts DuckDB data chunks to rows column by column: each column's converter is chosen once
 * from its type, then applied down the column's vector, so the per-value work is one call.
 */
export class ChunkRowReader {
  private readonly converters: ValueConverter[];
  private readonly buildRow: RowFactory;

  constructor(result: DuckDBResult) {
    const names = result.columnNames();
    assertUniqueColumnNames(names);
    this.converters = result.columnTypes().map((type, column) => converterFor(type, names[column] as string));
    this.buildRow = createRowFactory(names);
  }

  rows(chunk: DuckDBDataChunk): Row[] {
    const rowCount = chunk.rowCount;
    const columns = this.converters.map((convert, column) => readColumn(chunk.getColumnVector(column), rowCount, convert));
    const rows = new Array<Row>(rowCount);
    for (let index = 0; index < rowCount; index++) rows[index] = this.buildRow(columns, index);
    return rows;
  }
}

function readColumn(vector: DuckDBVector, rowCount: number, convert: ValueConverter): Value[] {
  const values = new Array<Value>(rowCount);
  if (convert === AS_IS) {
    for (let index = 0; index < rowCount; index++) values[index] = vector.getItem(index) as Value;
    return values;
  }
  for (let index = 0; index < rowCount; index++) {
    const item = vector.getItem(index);
    values[index] = item === null ? null : convert(item);
  }
  return values;
}
