import type Database from 'better-sqlite3';
import type { PruneResult } from '../store.ts';

/**
 * Keeps the file from growing without bound. Never touches snapshot_rows, sync_state or pending
 * changes. A run is kept, however old, when it is its sync's latest run or latest successful one
 * (`ebb status` and the stale-sync checks read them). A row error is kept, however old, while its key
 * is still pending: the key is still failing (or waiting for its next attempt, e.g. while the sync is
 * blocked), and the error says why. Errors of keys no longer proposed (the bad value was reverted in
 * the warehouse, the sync is no longer run) age out. (Keys that left the model lose their errors at
 * plan time already, in staging.)
 */
export function pruneHistory(client: Database.Database, before: string): PruneResult {
  const prune = client.transaction((): PruneResult => {
    const runs = client
      .prepare(`
        DELETE FROM runs WHERE started_at < @before
          AND id NOT IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY sync ORDER BY started_at DESC, id DESC) AS n FROM runs) WHERE n = 1)
          AND id NOT IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY sync ORDER BY started_at DESC, id DESC) AS n FROM runs WHERE status = 'succeeded') WHERE n = 1)`)
      .run({ before }).changes;
    const rowErrors = client
      .prepare(`
        DELETE FROM row_errors WHERE last_seen_at < @before
          AND NOT EXISTS (SELECT 1 FROM pending_changes p WHERE p.sync = row_errors.sync AND p.key = row_errors.key)`)
      .run({ before }).changes;
    const alertStates = client
      .prepare(`DELETE FROM alert_states WHERE severity = 'ok' AND undelivered = '[]' AND changed_at < @before`)
      .run({ before }).changes;
    const heartbeats = client.prepare('DELETE FROM scheduler_heartbeats WHERE last_tick_at < @before').run({ before }).changes;
    return { runs, rowErrors, alertStates, heartbeats };
  });
  return prune.immediate();
}
