import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { PendingSummary } from '../store.ts';

/**
 * First-seen times of pending changes, for the freshness SLA (delivery lag). A tracking pass stamps
 * every key it sees with its own id, then drops the keys it did not see, so a key that left the plan
 * (fixed in the model, or no longer changed) stops counting without a full-table comparison.
 */
export class PendingTracker {
  private readonly mark: Database.Statement;
  private readonly sweep: Database.Statement;
  private readonly summary: Database.Statement;
  private readonly markInTransaction: Database.Transaction<(sync: string, keys: readonly string[], at: string, pass: string) => void>;

  constructor(client: Database.Database) {
    this.mark = client.prepare(`
      INSERT INTO pending_changes (sync, key, first_seen_at, seen_in) VALUES (?, ?, ?, ?)
      ON CONFLICT (sync, key) DO UPDATE SET seen_in = excluded.seen_in`);
    this.sweep = client.prepare('DELETE FROM pending_changes WHERE sync = ? AND seen_in <> ?');
    this.summary = client.prepare('SELECT count(*) AS count, min(first_seen_at) AS oldest FROM pending_changes WHERE sync = ?');
    this.markInTransaction = client.transaction((sync: string, keys: readonly string[], at: string, pass: string) => {
      for (const key of keys) this.mark.run(sync, key, at, pass);
    });
  }

  /**
   * Marks keys a chunk per transaction, then sweeps. Interrupted before the sweep, a pass only leaves
   * keys that the next pass sweeps; first-seen times are never lost.
   */
  async track(sync: string, keys: AsyncIterable<string> | Iterable<string>, at: string): Promise<PendingSummary> {
    const pass = randomUUID();
    let chunk: string[] = [];
    for await (const key of keys) {
      chunk.push(key);
      if (chunk.length >= 10_000) {
        this.markInTransaction.immediate(sync, chunk, at, pass);
        chunk = [];
      }
    }
    this.markInTransaction.immediate(sync, chunk, at, pass);
    this.sweep.run(sync, pass);
    return this.read(sync);
  }

  read(sync: string): PendingSummary {
    const row = this.summary.get(sync) as { count: number; oldest: string | null };
    return { count: row.count, oldestFirstSeenAt: row.oldest };
  }
}
