import type Database from 'better-sqlite3';
import { StalePlanError } from '../../core/errors.ts';
import { canonicalJson } from '../../core/fingerprint.ts';
import { rowCheck } from '../../core/row-check.ts';
import type { CommitBatch } from '../store.ts';

/**
 * Commits executor batches: what the destination acknowledged goes into the snapshot, what it
 * rejected into row_errors, all or nothing, and only if the snapshot is still the one the plan saw.
 */
export class BatchCommitter {
  private readonly readBase: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly upsertError: Database.Statement;
  private readonly markSending: Database.Statement;
  private readonly clearError: Database.Statement;
  private readonly clearPending: Database.Statement;
  private readonly bumpSerial: Database.Statement;
  private readonly commitInTransaction: Database.Transaction<(batch: CommitBatch) => number>;

  constructor(client: Database.Database) {
    this.readBase = client.prepare('SELECT lineage, serial FROM sync_state WHERE sync = ?');
    // A delivery without a remote id (some update endpoints return none) keeps the one already known.
    this.upsertRow = client.prepare(`
      INSERT INTO snapshot_rows (sync, key, fingerprint, payload, remote_id, synced_at, run_id, row_check)
      VALUES (@sync, @key, @fingerprint, @payload, @remoteId, @now, @runId, @rowCheck)
      ON CONFLICT (sync, key) DO UPDATE SET
        fingerprint = excluded.fingerprint, payload = excluded.payload, row_check = excluded.row_check,
        remote_id = coalesce(excluded.remote_id, snapshot_rows.remote_id),
        synced_at = excluded.synced_at, run_id = excluded.run_id`);
    this.deleteRow = client.prepare('DELETE FROM snapshot_rows WHERE sync = ? AND key = ?');
    this.upsertError = client.prepare(`
      INSERT INTO row_errors (sync, key, action, code, message, field, attempts, run_id, first_seen_at, last_seen_at)
      VALUES (@sync, @key, @action, @code, @message, @field, 1, @runId, @now, @now)
      ON CONFLICT (sync, key) DO UPDATE SET
        action = excluded.action, code = excluded.code, message = excluded.message, field = excluded.field,
        attempts = row_errors.attempts + 1, run_id = excluded.run_id, last_seen_at = excluded.last_seen_at`);
    this.markSending = client.prepare(`
      INSERT INTO row_errors (sync, key, action, code, message, field, attempts, run_id, first_seen_at, last_seen_at)
      VALUES (@sync, @key, @action, @code, @message, NULL, 0, @runId, @now, @now)
      ON CONFLICT (sync, key) DO UPDATE SET
        action = excluded.action, code = excluded.code, message = excluded.message, field = NULL,
        run_id = excluded.run_id, last_seen_at = excluded.last_seen_at`);
    this.clearError = client.prepare('DELETE FROM row_errors WHERE sync = ? AND key = ?');
    // A delivered change is no longer pending: it stops counting towards the sync's delivery lag.
    this.clearPending = client.prepare('DELETE FROM pending_changes WHERE sync = ? AND key = ?');
    this.bumpSerial = client.prepare(`
      UPDATE sync_state SET serial = serial + 1, definition_hash = @definitionHash, updated_at = @now,
        last_delivered_at = CASE WHEN @acknowledged THEN @now ELSE last_delivered_at END
      WHERE sync = @sync RETURNING serial`);
    this.commitInTransaction = client.transaction((batch: CommitBatch) => this.write(batch));
  }

  commit(batch: CommitBatch): number {
    return this.commitInTransaction.immediate(batch);
  }

  private write(batch: CommitBatch): number {
    const { sync, runId } = batch;
    this.assertBase(batch);
    const now = new Date().toISOString();
    for (const row of batch.delivered) {
      const payload = canonicalJson(row.payload);
      const check = rowCheck(row.key, payload);
      this.upsertRow.run({ sync, key: row.key, fingerprint: row.fingerprint, payload, remoteId: row.remoteId, now, runId, rowCheck: check });
    }
    for (const key of batch.deleted) this.deleteRow.run(sync, key);
    for (const { key, action, error } of batch.failed) {
      const field = error.field ?? null;
      this.upsertError.run({ sync, key, action, code: error.code, message: error.message, field, runId, now });
    }
    for (const { key, action, error } of batch.sending ?? []) this.markSending.run({ sync, key, action, code: error.code, message: error.message, runId, now });
    // After recording failures: a key acknowledged in this batch is delivered, whatever else was said.
    for (const row of batch.delivered) this.clearError.run(sync, row.key);
    for (const key of batch.deleted) this.clearError.run(sync, key);
    for (const row of batch.delivered) this.clearPending.run(sync, row.key);
    for (const key of batch.deleted) this.clearPending.run(sync, key);
    const acknowledged = batch.delivered.length + batch.deleted.length > 0 ? 1 : 0;
    const bumped = this.bumpSerial.get({ sync, definitionHash: batch.definitionHash, now, acknowledged }) as { serial: number };
    return bumped.serial;
  }

  /** Inside the transaction, so no other commit can slip in between the check and the writes. */
  private assertBase(batch: CommitBatch): void {
    const base = this.readBase.get(batch.sync) as { lineage: string; serial: number } | undefined;
    const planned = `lineage ${batch.lineage}, serial ${batch.expectedSerial}`;
    if (!base) {
      throw new StalePlanError(
        `Sync "${batch.sync}" has no snapshot state, but the plan was made against ${planned}: re-run \`ebb plan\`.`,
      );
    }
    if (base.lineage !== batch.lineage || base.serial !== batch.expectedSerial) {
      throw new StalePlanError(
        `The snapshot of sync "${batch.sync}" moved since the plan was made (plan: ${planned}; ` +
          `snapshot now: lineage ${base.lineage}, serial ${base.serial}): re-run \`ebb plan\` and apply the new plan.`,
      );
    }
  }
}
