import type Database from 'better-sqlite3';
import { EbbError } from '../../core/errors.ts';
import type { StageSummary, StagedRow, Stager } from '../store.ts';

/** Rows per multi-row INSERT: fewer calls across the JS/C boundary, well under SQLite's 32766 variables. */
const ROWS_PER_INSERT = 100;
const DUPLICATE_SAMPLES = 10;

/** One sync's staged model rows: a TEMP table private to this store's connection. */
export interface StagingTable {
  readonly sync: string;
  /** Bare identifier (`ebb_staged_<n>`): generated here, never from user input. */
  readonly id: string;
  /** Quoted, schema-qualified name, safe to splice into SQL. */
  readonly name: string;
  summary: StageSummary | null;
}

/**
 * The TEMP staging tables of one store connection, one per sync. A table per sync (rather than one
 * shared table with a sync column) lets a new staging or a drop be a DROP TABLE instead of a
 * million-row DELETE, and lets the key index be built once, after the bulk insert.
 */
export class StagingTables {
  private readonly tables = new Map<string, StagingTable>();
  private created = 0;

  constructor(private readonly client: Database.Database) {}

  begin(sync: string): Stager {
    this.drop(sync);
    this.created += 1;
    const id = `ebb_staged_${this.created}`;
    const table: StagingTable = { sync, id, name: `temp."${id}"`, summary: null };
    this.client.exec(`CREATE TABLE ${table.name} (key TEXT NOT NULL, fingerprint TEXT NOT NULL, payload TEXT)`);
    this.tables.set(sync, table);
    return new TableStager(this.client, table, () => this.tables.get(sync) === table);
  }

  /** The finished staging of `sync`; diffs need its key index and its duplicate count. */
  finished(sync: string): StagingTable & { summary: StageSummary } {
    const table = this.tables.get(sync);
    if (!table) {
      throw new EbbError('STAGING_MISSING', `No staged rows for sync "${sync}": call beginStaging() and stage the model rows first.`);
    }
    if (!table.summary) {
      throw new EbbError('STAGING_UNFINISHED', `Staging of sync "${sync}" is still open: call finish() on its stager before diffing.`);
    }
    return table as StagingTable & { summary: StageSummary };
  }

  isCurrent(table: StagingTable): boolean {
    return this.tables.get(table.sync) === table;
  }

  drop(sync: string): void {
    const table = this.tables.get(sync);
    if (!table) return;
    this.tables.delete(sync);
    if (this.client.open) this.client.exec(`DROP TABLE IF EXISTS ${table.name}`);
  }
}

class TableStager implements Stager {
  private readonly insertOne: Database.Statement;
  private readonly insertMany: Database.Statement;
  private readonly insertRows: (rows: readonly StagedRow[]) => void;
  private readonly snapshotFingerprints: Database.Statement;
  /** Rows staged (null-key rows are only counted, in `nullKeys`). */
  private rows = 0;
  private nullKeys = 0;

  constructor(
    private readonly client: Database.Database,
    private readonly table: StagingTable,
    private readonly isCurrent: () => boolean,
  ) {
    const insert = `INSERT INTO ${table.name} (key, fingerprint, payload) VALUES `;
    this.insertOne = client.prepare(insert + '(?, ?, ?)');
    this.insertMany = client.prepare(insert + Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?)').join(', '));
    this.insertRows = client.transaction((rows: readonly StagedRow[]) => this.insert(rows));
    this.snapshotFingerprints = client.prepare(
      `SELECT key, fingerprint FROM snapshot_rows WHERE sync = ? AND key IN (SELECT value FROM json_each(?))`,
    );
  }

  add(rows: readonly StagedRow[]): void {
    this.assertOpen();
    this.insertRows(rows);
  }

  finish(): StageSummary {
    if (this.table.summary) return this.table.summary;
    this.assertOpen();
    const { id, name } = this.table;
    // (key, fingerprint) lets the diff skip unchanged rows without reading the payload pages.
    this.client.exec(`CREATE INDEX temp."${id}_key" ON "${id}" (key)`);
    // The diff walks only the rows staged with a payload (new or changed), through this partial index.
    this.client.exec(`CREATE INDEX temp."${id}_changed" ON "${id}" (key) WHERE payload IS NOT NULL`);
    const duplicates = `SELECT key, count(*) AS occurrences FROM ${name} GROUP BY key HAVING count(*) > 1`;
    const duplicateKeys = (this.client.prepare(`SELECT count(*) FROM (${duplicates})`).pluck().get() as number) ?? 0;
    const duplicateSamples =
      duplicateKeys === 0
        ? []
        : (this.client.prepare(`${duplicates} ORDER BY occurrences DESC, key LIMIT ${DUPLICATE_SAMPLES}`).all() as {
            key: string;
            occurrences: number;
          }[]);
    this.table.summary = { rows: this.rows, nullKeys: this.nullKeys, duplicateKeys, duplicateSamples };
    if (duplicateKeys === 0 && this.nullKeys === 0) this.forgetErrorsOfVanishedKeys();
    return this.table.summary;
  }

  /**
   * A rejected row whose key has left the model (its data was fixed into another key, or it was
   * removed) will never be proposed again, so its error would otherwise be reported forever. Errors of
   * keys still in the snapshot stay: a failed delete in mirror mode is still pending.
   */
  private forgetErrorsOfVanishedKeys(): void {
    this.client
      .prepare(
        `DELETE FROM row_errors WHERE sync = @sync
           AND NOT EXISTS (SELECT 1 FROM ${this.table.name} AS s WHERE s.key = row_errors.key)
           AND NOT EXISTS (SELECT 1 FROM snapshot_rows AS r WHERE r.sync = row_errors.sync AND r.key = row_errors.key)`,
      )
      .run({ sync: this.table.sync });
  }

  /**
   * Rows whose fingerprint equals the snapshot's are staged without their payload: the diff never needs
   * it, and not writing it (nearly every row of a typical run) is most of what staging costs. The
   * snapshot's fingerprints come one query per batch, so memory stays bounded by the batch.
   */
  private insert(rows: readonly StagedRow[]): void {
    const keys: string[] = [];
    for (const row of rows) if (row.key !== null) keys.push(row.key);
    const known = new Map<string, string>();
    // Sorted, the lookups walk the snapshot's index in order: half the page misses for a model in random order.
    keys.sort();
    for (const r of this.snapshotFingerprints.all(this.table.sync, JSON.stringify(keys)) as { key: string; fingerprint: string }[]) {
      known.set(r.key, r.fingerprint);
    }
    const values: (string | null)[] = [];
    for (const row of rows) {
      if (row.key === null) {
        this.nullKeys += 1;
        continue;
      }
      this.rows += 1;
      values.push(row.key, row.fingerprint, known.get(row.key) === row.fingerprint ? null : row.payloadJson);
      if (values.length === ROWS_PER_INSERT * 3) {
        this.insertMany.run(values);
        values.length = 0;
      }
    }
    for (let i = 0; i < values.length; i += 3) this.insertOne.run(values[i], values[i + 1], values[i + 2]);
  }

  private assertOpen(): void {
    if (this.table.summary) {
      throw new EbbError('STAGING_FINISHED', `Staging of sync "${this.table.sync}" is finished: call beginStaging() to stage again.`);
    }
    if (!this.isCurrent()) {
      throw new EbbError(
        'STAGING_REPLACED',
        `This staging of sync "${this.table.sync}" was replaced or dropped: use the stager from the latest beginStaging().`,
      );
    }
  }
}
