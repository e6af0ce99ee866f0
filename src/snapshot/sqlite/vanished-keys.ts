import type Database from 'better-sqlite3';
import type { StagingTable } from './staging.ts';

/**
 * Quoted name of a TEMP table of the snapshot keys the model no longer has, built on first use (mirror
 * plans only): the snapshot rows no model row matched by row check, plus those whose checks were not
 * held in memory, less every key that was staged. Its size follows the changes, not the snapshot.
 */
export function vanishedKeys(client: Database.Database, table: StagingTable): string {
  if (table.vanished) return table.vanished;
  const unmatched = `temp."${table.id}_unmatched"`;
  const vanished = `temp."${table.id}_vanished"`;
  client.exec(`CREATE TABLE ${unmatched} (row_check REAL NOT NULL)`);
  client.exec(`CREATE TABLE ${vanished} (key TEXT PRIMARY KEY)`);
  const insert = client.prepare(`INSERT INTO ${unmatched} (row_check) VALUES (?)`);
  client.transaction(() => {
    for (const check of table.checks.unmatched()) insert.run(check);
  })();
  const notStaged = `NOT EXISTS (SELECT 1 FROM ${table.name} AS s WHERE s.key = r.key)`;
  client
    .prepare(
      // CROSS JOIN keeps the (few) unmatched checks as the outer loop; SQLite would otherwise walk every
      // snapshot row of the sync and scan the unindexed list for each.
      `INSERT OR IGNORE INTO ${vanished} (key)
       SELECT r.key FROM ${unmatched} AS u CROSS JOIN snapshot_rows AS r
       WHERE r.sync = @sync AND r.row_check = u.row_check AND ${notStaged}`,
    )
    .run({ sync: table.sync });
  if (table.checks.heldBelow !== Infinity) {
    client
      .prepare(`INSERT OR IGNORE INTO ${vanished} (key) SELECT r.key FROM snapshot_rows AS r WHERE r.sync = @sync AND r.row_check >= @heldBelow AND ${notStaged}`)
      .run({ sync: table.sync, heldBelow: table.checks.heldBelow });
  }
  client.exec(`DROP TABLE ${unmatched}`);
  table.vanished = vanished;
  return vanished;
}
