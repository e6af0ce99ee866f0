import { SourceError } from '../../core/errors.ts';
import type { Row } from '../../core/values.ts';
import type { ReadOptions } from '../source.ts';

/** Rejects read options no source can honour, before any query is sent. */
export function assertReadOptions(options: ReadOptions): void {
  if (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1) {
    throw new SourceError(`batchSize must be a positive integer, got ${String(options.batchSize)}`, { code: 'SOURCE_INVALID_OPTIONS' });
  }
  if (options.timeoutMs !== undefined && (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)) {
    throw new SourceError(`timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}`, { code: 'SOURCE_INVALID_OPTIONS' });
  }
}

/**
 * Two columns with one name would collapse into one key of the row object and a value would
 * vanish silently, so the query is refused instead.
 */
export function assertUniqueColumnNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new SourceError(`the query returns more than one column named "${name}"; give each column a distinct alias (SELECT a.id AS account_id, ...)`, { code: 'SOURCE_DUPLICATE_COLUMN' });
    }
    seen.add(name);
  }
}

/**
 * Regroups rows that arrive in the warehouse's own chunk sizes into batches of exactly
 * `batchSize` rows (the last one may be shorter).
 */
export class RowBatcher {
  private current: Row[] = [];

  constructor(private readonly batchSize: number) {}

  /**
   * Adds rows and returns every batch that became full. Takes ownership of `rows`: an array of
   * exactly `batchSize` rows arriving on an empty batcher is passed on as it is, uncopied.
   */
  push(rows: readonly Row[]): Row[][] {
    const full: Row[][] = [];
    let offset = 0;
    while (offset < rows.length) {
      const room = this.batchSize - this.current.length;
      const take = Math.min(room, rows.length - offset);
      if (this.current.length === 0 && take === this.batchSize && offset === 0 && rows.length === take) {
        full.push(rows as Row[]);
        return full;
      }
      for (let i = 0; i < take; i++) this.current.push(rows[offset + i] as Row);
      offset += take;
      if (this.current.length === this.batchSize) {
        full.push(this.current);
        this.current = [];
      }
    }
    return full;
  }

  /** The last, partial batch, if any rows are left. */
  flush(): Row[] | undefined {
    if (this.current.length === 0) return undefined;
    const last = this.current;
    this.current = [];
    return last;
  }
}
