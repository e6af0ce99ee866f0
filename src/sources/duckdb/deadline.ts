import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../../core/errors.ts';
import { duckdbError, duckdbTimeoutError } from './errors.ts';

/**
 * `timeoutMs` bounds the whole read, as Postgres' statement_timeout does for a cursor: DuckDB
 * work in flight is interrupted when the time is up, and no further chunk is fetched after it.
 */
export class Deadline {
  private readonly endsAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expired = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly timeoutMs: number | undefined,
  ) {
    this.endsAt = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.endsAt === undefined) return work();
    const remaining = this.endsAt - Date.now();
    if (remaining <= 0) {
      this.expired = true;
      throw new Error('deadline passed before the next chunk was fetched');
    }
    this.timer = setTimeout(() => {
      this.expired = true;
      this.connection.interrupt();
    }, remaining);
    try {
      return await work();
    } finally {
      this.clear();
    }
  }

  /** `run`, with a failure explained as `explain` does. */
  async within<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.run(work);
    } catch (error) {
      throw this.explain(error, doing);
    }
  }

  /** True once the time is up: DuckDB then ends a stream it was producing as if it were complete. */
  hasExpired(): boolean {
    return this.expired;
  }

  explain(error: unknown, doing: string): SourceError {
    // Once the time is up, whatever failed failed because DuckDB was interrupted.
    if (this.expired) return duckdbTimeoutError(this.timeoutMs ?? 0, error);
    if (error instanceof SourceError) return error;
    return duckdbError(error, doing);
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
