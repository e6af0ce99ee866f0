import type Database from 'better-sqlite3';
import type { AlertSeverity, AlertState, SchedulerHeartbeat } from '../store.ts';

interface AlertRow {
  sync: string;
  rule: string;
  severity: AlertSeverity;
  previous_severity: AlertSeverity;
  message: string;
  changed_at: string;
  transition_id: string;
  undelivered: string;
}

/**
 * Alert states and scheduler heartbeats. A state change is a compare-and-set on the transition id,
 * inside one IMMEDIATE transaction, so two processes seeing the same change notify once.
 */
export class AlertStateTable {
  private readonly list: Database.Statement;
  private readonly current: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly readUndelivered: Database.Statement;
  private readonly writeUndelivered: Database.Statement;
  private readonly beatStatement: Database.Statement;
  private readonly heartbeats: Database.Statement;
  private readonly changeInTransaction: Database.Transaction<(next: AlertState, expected: string | null) => boolean>;
  private readonly deliverInTransaction: Database.Transaction<(sync: string, rule: string, transitionId: string, channel: string) => void>;

  constructor(client: Database.Database) {
    this.list = client.prepare('SELECT * FROM alert_states ORDER BY sync, rule');
    this.current = client.prepare('SELECT transition_id FROM alert_states WHERE sync = ? AND rule = ?').pluck();
    this.upsert = client.prepare(`
      INSERT INTO alert_states (sync, rule, severity, previous_severity, message, changed_at, transition_id, undelivered)
      VALUES (@sync, @rule, @severity, @previousSeverity, @message, @changedAt, @transitionId, @undelivered)
      ON CONFLICT (sync, rule) DO UPDATE SET
        severity = excluded.severity, previous_severity = excluded.previous_severity, message = excluded.message,
        changed_at = excluded.changed_at, transition_id = excluded.transition_id, undelivered = excluded.undelivered`);
    this.readUndelivered = client.prepare('SELECT undelivered FROM alert_states WHERE sync = ? AND rule = ? AND transition_id = ?').pluck();
    this.writeUndelivered = client.prepare('UPDATE alert_states SET undelivered = ? WHERE sync = ? AND rule = ? AND transition_id = ?');
    this.beatStatement = client.prepare(`
      INSERT INTO scheduler_heartbeats (holder, started_at, last_tick_at, tick_ms) VALUES (@holder, @startedAt, @lastTickAt, @tickMs)
      ON CONFLICT (holder) DO UPDATE SET last_tick_at = excluded.last_tick_at, tick_ms = excluded.tick_ms`);
    this.heartbeats = client.prepare('SELECT holder, started_at AS startedAt, last_tick_at AS lastTickAt, tick_ms AS tickMs FROM scheduler_heartbeats ORDER BY last_tick_at DESC');
    this.changeInTransaction = client.transaction((next: AlertState, expected: string | null) => {
      const current = (this.current.get(next.sync, next.rule) as string | undefined) ?? null;
      if (current !== expected) return false;
      this.upsert.run({ ...next, undelivered: JSON.stringify(next.undelivered) });
      return true;
    });
    this.deliverInTransaction = client.transaction((sync: string, rule: string, transitionId: string, channel: string) => {
      const text = this.readUndelivered.get(sync, rule, transitionId) as string | undefined;
      if (text === undefined) return;
      const remaining = (JSON.parse(text) as string[]).filter((name) => name !== channel);
      this.writeUndelivered.run(JSON.stringify(remaining), sync, rule, transitionId);
    });
  }

  all(): AlertState[] {
    return (this.list.all() as AlertRow[]).map((row) => ({
      sync: row.sync,
      rule: row.rule,
      severity: row.severity,
      previousSeverity: row.previous_severity,
      message: row.message,
      changedAt: row.changed_at,
      transitionId: row.transition_id,
      undelivered: JSON.parse(row.undelivered) as string[],
    }));
  }

  change(next: AlertState, expectedTransitionId: string | null): boolean {
    return this.changeInTransaction.immediate(next, expectedTransitionId);
  }

  delivered(sync: string, rule: string, transitionId: string, channel: string): void {
    this.deliverInTransaction.immediate(sync, rule, transitionId, channel);
  }

  beat(heartbeat: SchedulerHeartbeat): void {
    this.beatStatement.run(heartbeat);
  }

  listHeartbeats(): SchedulerHeartbeat[] {
    return this.heartbeats.all() as SchedulerHeartbeat[];
  }
}
