import type Database from 'better-sqlite3';
import { EbbError, OUTCOME_UNKNOWN } from '../../core/errors.ts';
import type { StageSummary, StagedRow, Stager } from '../store.ts';
import { SnapshotChecks } from './snapshot-checks.ts';

/** Rows per multi-row INSERT: fewer calls across the JS/C boundary, well under SQLite's 32766 variables. */
const ROWS_PER_INSERT = 100;
const DUPLICATE_SAMPLES = 10;

/** One sync's staged model rows: TEMP tables private to this store's connection. */
export interface StagingTable {
  readonly sync: string;
  /** Bare identifier (`ebb_staged_<n>`): generated here, never from user input. */
  readonly id: string;
  /** Quoted, schema-qualified name, safe to splice into SQL. */
  readonly name: string;
  /** The snapshot's row checks, and which of them the model matched. */
  readonly checks: SnapshotChecks;
  summary: StageSummary | null;
  /** Quoted name of the table of vanished keys, once built (vanished-keys.ts); dropped with the staging. */
  vanished: string | null;
}

/**
 * The TEMP staging tables of one store connection, one per sync. A table per sync (rather than one
 * shared table with a sync column) lets a new staging or a drop be a DROP TABLE instead of a
 * million-row DELETE, and lets the key index be built once, after the bulk insert.
 *
 * Rows the snapshot holds unchanged are settled in memory by their row check (`skipUnchanged`) and
 * never written; the table holds the rest (new, changed, or not provably unchanged) with payloads,
 * plus one payload-less marker per repetition of a skipped key, so duplicates are counted in SQL.
 */
export class StagingTables {
  private readonly tables = new Map<string, StagingTable>();
  private created = 0;

  /** `checksInMemory`: the most snapshot rows whose checks a staging holds (7.5 bytes each). */
  constructor(
    private readonly client: Database.Database,
    private readonly checksInMemory: number,
  ) {}

  begin(sync: string): Stager {
    this.drop(sync);
    this.created += 1;
    const id = `ebb_staged_${this.created}`;
    const checks = SnapshotChecks.load(this.client, sync, this.checksInMemory);
    const table: StagingTable = { sync, id, name: `temp."${id}"`, checks, summary: null, vanished: null };
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
    if (!this.client.open) return;
    this.client.exec(`DROP TABLE IF EXISTS ${table.name}`);
    if (table.vanished) this.client.exec(`DROP TABLE IF EXISTS ${table.vanished}`);
  }
}

class TableStager implements Stager {
  private readonly insertOne: Database.Statement;
  private readonly insertMany: Database.Statement;
  private readonly insertRows: (rows: readonly StagedRow[]) => void;
  /** Model rows taken (settled as unchanged or staged); null-key rows are only counted, in `nullKeys`. */
  private rows = 0;
  private unchanged = 0;
  private nullKeys = 0;
  /** Where each check of the current batch is held, reused from batch to batch. */
  private positions = new Int32Array(0);

  constructor(
    private readonly client: Database.Database,
    private readonly table: StagingTable,
    private readonly isCurrent: () => boolean,
  ) {
    const insert = `INSERT INTO ${table.name} (key, fingerprint, payload) VALUES `;
    this.insertOne = client.prepare(insert + '(?, ?, ?)');
    this.insertMany = client.prepare(insert + Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?)').join(', '));
    this.insertRows = client.transaction((rows: readonly StagedRow[]) => this.insert(rows));
  }

  get snapshotRows(): number {
    return this.table.checks.snapshotRows;
  }

  skipUnchanged(keys: readonly (string | null)[], checks: ArrayLike<number>): number[] {
    this.assertOpen();
    const rest: number[] = [];
    if (this.positions.length < keys.length) this.positions = new Int32Array(keys.length);
    const positions = this.positions;
    this.table.checks.locate(checks, keys.length, positions);
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i]!;
      if (key === null) {
        this.nullKeys += 1;
        continue;
      }
      const match = this.table.checks.matchAt(positions[i]!);
      if (match === 'none') {
        rest.push(i);
        continue;
      }
      this.rows += 1;
      this.unchanged += 1;
      // A repeated key: the earlier (unstaged) occurrence gets its marker with the second one.
      if (match === 'second') this.insertMarker(key);
      if (match !== 'unchanged') this.insertMarker(key);
    }
    return rest;
  }

  add(rows: readonly StagedRow[]): void {
    this.assertOpen();
    this.insertRows(rows);
  }

  finish(): StageSummary {
    if (this.table.summary) return this.table.summary;
    this.assertOpen();
    const { id, name } = this.table;
    if (this.unchanged > 0) this.markSkippedRepeatsOfStagedKeys();
    this.client.exec(`CREATE INDEX temp."${id}_key" ON "${id}" (key)`);
    const duplicates = `SELECT key, count(*) AS occurrences FROM ${name} GROUP BY key HAVING count(*) > 1`;
    const duplicateKeys = (this.client.prepare(`SELECT count(*) FROM (${duplicates})`).pluck().get() as number) ?? 0;
    const duplicateSamples =
      duplicateKeys === 0
        ? []
        : (this.client.prepare(`${duplicates} ORDER BY occurrences DESC, key LIMIT ${DUPLICATE_SAMPLES}`).all() as {
            key: string;
            occurrences: number;
          }[]);
    this.table.summary = { rows: this.rows, unchanged: this.unchanged, nullKeys: this.nullKeys, duplicateKeys, duplicateSamples };
    if (duplicateKeys === 0 && this.nullKeys === 0) this.forgetErrorsOfVanishedKeys();
    return this.table.summary;
  }

  /**
   * A key both staged and skipped as unchanged appears more than once in the model; a key skipped once
   * has no marker yet, so it gets one here and the GROUP BY sees every occurrence.
   */
  private markSkippedRepeatsOfStagedKeys(): void {
    const { checks } = this.table;
    // Streamed: with many staged rows (a large update, rows past the check cap) this must not load them all.
    const held = checks.heldBelow === Infinity ? '' : 'AND r.row_check < @heldBelow';
    const stagedInSnapshot = this.client
      .prepare(
        // CROSS JOIN keeps the staged rows as the outer loop (SQLite's documented way to fix the order): led
        // by the row_check range instead, it would scan the snapshot and probe a staging table not yet indexed.
        `SELECT DISTINCT s.key AS key, r.row_check AS rowCheck FROM ${this.table.name} AS s
         CROSS JOIN snapshot_rows AS r WHERE r.sync = @sync AND r.key = s.key AND s.payload IS NOT NULL ${held}`,
      )
      .iterate({ sync: this.table.sync, ...(held ? { heldBelow: checks.heldBelow } : {}) }) as Iterable<{ key: string; rowCheck: number }>;
    // Markers go in after the scan: the connection cannot write while the statement is still reading.
    const repeatedKeys: string[] = [];
    for (const row of stagedInSnapshot) if (checks.claimRepeat(row.rowCheck)) repeatedKeys.push(row.key);
    for (const key of repeatedKeys) this.insertMarker(key);
  }

  private insertMarker(key: string): void {
    this.insertOne.run(key, '', null);
  }

  /**
   * A rejected row whose key has left the model (its data was fixed into another key, or it was
   * removed) will never be proposed again, so its error would otherwise be reported forever. Errors of
   * keys still in the snapshot stay: a failed delete in mirror mode is still pending. So do those of
   * creates whose outcome is unknown: the record may exist, and the error is the only trace of it (the
   * retention prune removes it in time).
   */
  private forgetErrorsOfVanishedKeys(): void {
    this.client
      .prepare(
        `DELETE FROM row_errors WHERE sync = @sync AND code <> '${OUTCOME_UNKNOWN}'
           AND NOT EXISTS (SELECT 1 FROM ${this.table.name} AS s WHERE s.key = row_errors.key)
           AND NOT EXISTS (SELECT 1 FROM snapshot_rows AS r WHERE r.sync = row_errors.sync AND r.key = row_errors.key)`,
      )
      .run({ sync: this.table.sync });
  }

  private insert(rows: readonly StagedRow[]): void {
    const values: (string | null)[] = [];
    for (const row of rows) {
      if (row.key === null) {
        this.nullKeys += 1;
        continue;
      }
      this.rows += 1;
      values.push(row.key, row.fingerprint, row.payloadJson);
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
