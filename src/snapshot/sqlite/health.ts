import type Database from 'better-sqlite3';
import type { CycleOutcome, SyncHealth } from '../store.ts';

interface HealthRow {
  sync: string;
  tracked_since: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_outcome: CycleOutcome | null;
  last_message: string | null;
  last_success_at: string | null;
  consecutive_failures: number;
}

/** Per-sync cycle outcomes; each write is one statement, so concurrent writers cannot lose a count. */
export class HealthRecorder {
  private readonly started: Database.Statement;
  private readonly finished: Database.Statement;
  private readonly read: Database.Statement;

  constructor(client: Database.Database) {
    this.started = client.prepare(`
      INSERT INTO sync_health (sync, tracked_since, last_started_at) VALUES (@sync, @at, @at)
      ON CONFLICT (sync) DO UPDATE SET last_started_at = excluded.last_started_at`);
    this.finished = client.prepare(`
      INSERT INTO sync_health (sync, tracked_since, last_started_at, last_finished_at, last_outcome, last_message, last_success_at, consecutive_failures)
      VALUES (@sync, @at, @at, @at, @outcome, @message, CASE WHEN @succeeded THEN @at END, CASE WHEN @succeeded THEN 0 ELSE 1 END)
      ON CONFLICT (sync) DO UPDATE SET
        last_finished_at = excluded.last_finished_at, last_outcome = excluded.last_outcome, last_message = excluded.last_message,
        last_success_at = CASE WHEN @succeeded THEN excluded.last_finished_at ELSE sync_health.last_success_at END,
        consecutive_failures = CASE WHEN @succeeded THEN 0 ELSE sync_health.consecutive_failures + 1 END`);
    this.read = client.prepare('SELECT * FROM sync_health WHERE sync = ?');
  }

  recordStarted(sync: string, at: string): void {
    this.started.run({ sync, at });
  }

  recordFinished(cycle: { sync: string; at: string; outcome: CycleOutcome; message: string | null; succeeded: boolean }): void {
    this.finished.run({ ...cycle, succeeded: cycle.succeeded ? 1 : 0 });
  }

  get(sync: string): SyncHealth | null {
    const row = this.read.get(sync) as HealthRow | undefined;
    if (!row) return null;
    return {
      sync: row.sync,
      trackedSince: row.tracked_since,
      lastStartedAt: row.last_started_at,
      lastFinishedAt: row.last_finished_at,
      lastOutcome: row.last_outcome,
      lastMessage: row.last_message,
      lastSuccessAt: row.last_success_at,
      consecutiveFailures: row.consecutive_failures,
    };
  }
}
