import type Database from 'better-sqlite3';
import { matchKey } from '../../core/match-key.ts';

/**
 * Lower-cases the keys of pending changes and row errors, which only ever hold keys as planned. Two
 * pending changes meeting keep the earlier first-seen time (the freshness SLA's delivery lag); two row
 * errors keep the later error, with both one's attempts and the first sighting.
 */
export class PlannedKeyFolder {
  private readonly pendingFirstSeen: Database.Statement;
  private readonly movePending: Database.Statement;
  private readonly keepEarlierFirstSeen: Database.Statement;
  private readonly removePending: Database.Statement;
  private readonly rowErrorAt: Database.Statement;
  private readonly addAttempts: Database.Statement;
  private readonly removeRowError: Database.Statement;
  private readonly moveRowError: Database.Statement;

  constructor(
    client: Database.Database,
    private readonly sync: string,
  ) {
    this.pendingFirstSeen = client.prepare('SELECT first_seen_at FROM pending_changes WHERE sync = ? AND key = ?').pluck();
    this.movePending = client.prepare('UPDATE pending_changes SET key = ? WHERE sync = ? AND key = ?');
    this.keepEarlierFirstSeen = client.prepare('UPDATE pending_changes SET first_seen_at = min(first_seen_at, ?) WHERE sync = ? AND key = ?');
    this.removePending = client.prepare('DELETE FROM pending_changes WHERE sync = ? AND key = ?');
    this.rowErrorAt = client.prepare('SELECT key, attempts, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt FROM row_errors WHERE sync = ? AND key = ?');
    this.addAttempts = client.prepare('UPDATE row_errors SET attempts = attempts + ?, first_seen_at = min(first_seen_at, ?) WHERE sync = ? AND key = ?');
    this.removeRowError = client.prepare('DELETE FROM row_errors WHERE sync = ? AND key = ?');
    this.moveRowError = client.prepare('UPDATE row_errors SET key = ? WHERE sync = ? AND key = ?');
  }

  pending(key: string): void {
    const target = matchKey(key, true);
    if (target === key) return;
    if (this.pendingFirstSeen.get(this.sync, target) === undefined) {
      this.movePending.run(target, this.sync, key);
      return;
    }
    this.keepEarlierFirstSeen.run(this.pendingFirstSeen.get(this.sync, key), this.sync, target);
    this.removePending.run(this.sync, key);
  }

  rowError(key: string): void {
    const target = matchKey(key, true);
    if (target === key) return;
    type Seen = { key: string; attempts: number; firstSeenAt: string; lastSeenAt: string };
    const other = this.rowErrorAt.get(this.sync, target) as Seen | undefined;
    if (other) {
      const row = this.rowErrorAt.get(this.sync, key) as Seen;
      const [newer, older] = row.lastSeenAt > other.lastSeenAt ? [row, other] : [other, row];
      this.addAttempts.run(older.attempts, older.firstSeenAt, this.sync, newer.key);
      this.removeRowError.run(this.sync, older.key);
      if (newer.key === target) return;
    }
    this.moveRowError.run(target, this.sync, key);
  }
}
