import type Database from 'better-sqlite3';
import { changedFieldsBetween, type Change } from '../../core/change.ts';
import { EbbError } from '../../core/errors.ts';
import { canonicalJson } from '../../core/fingerprint.ts';
import type { Row } from '../../core/values.ts';
import type { DiffOptions } from '../store.ts';
import type { StagingTable, StagingTables } from './staging.ts';
import { vanishedKeys } from './vanished-keys.ts';

interface UpsertCandidate {
  key: string;
  fingerprint: string;
  payload: string;
  beforeFingerprint: string | null;
  beforePayload: string | null;
  remoteId: string | null;
}

interface DeleteCandidate {
  key: string;
  payload: string;
  remoteId: string | null;
}

/** One pass over the keys in order, a page at a time; `after` is the last key of the previous page. */
type ChangePage = (after: string | null, limit: number) => Change[];

/**
 * Streams the changes between a finished staging and the snapshot: creates and updates in key order,
 * then deletes in key order, packed into full batches. Every page is its own query resumed from the
 * last key seen (keyset pagination), so no statement stays open while the consumer holds a batch and
 * perhaps uses the same connection.
 */
export async function* diffStaging(
  client: Database.Database,
  staging: StagingTables,
  sync: string,
  options: DiffOptions,
): AsyncGenerator<Change[]> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EbbError('INVALID_BATCH_SIZE', `diff batchSize must be a positive integer, got ${batchSize}.`);
  }
  const table = uniqueStaging(staging, sync);
  const createdFields = new SharedFieldList();
  const phases: ChangePage[] = [pager(client, upsertCandidatesSql(table), sync, (row: UpsertCandidate) => upsertChange(row, createdFields))];
  if (options.includeDeletes) phases.push(pager(client, deleteCandidatesSql(vanishedKeys(client, table)), sync, deleteChange));

  let batch: Change[] = [];
  for (const page of phases) {
    let after: string | null = null;
    for (;;) {
      if (!staging.isCurrent(table)) {
        throw new EbbError('STAGING_REPLACED', `Staging of sync "${sync}" was replaced or dropped during its diff: re-run the plan.`);
      }
      const limit = batchSize - batch.length;
      const changes = page(after, limit);
      for (const change of changes) batch.push(change);
      after = changes.at(-1)?.key ?? after;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
      if (changes.length < limit) break;
    }
  }
  if (batch.length > 0) yield batch;
}

/** A diff over duplicate keys would pair one snapshot record with several model rows: refuse it. */
function uniqueStaging(staging: StagingTables, sync: string): StagingTable {
  const table = staging.finished(sync);
  const { duplicateKeys, duplicateSamples } = table.summary;
  if (duplicateKeys > 0) {
    const samples = duplicateSamples.map((s) => `${JSON.stringify(s.key)} ×${s.occurrences}`).join(', ');
    throw new EbbError(
      'DUPLICATE_KEYS',
      `Sync "${sync}" staged ${duplicateKeys} duplicate key(s) (${samples}); make the model's key unique before planning.`,
    );
  }
  return table;
}

function upsertCandidatesSql(table: StagingTable): (cursor: string) => string {
  return (cursor) => `
    SELECT s.key AS key, s.fingerprint AS fingerprint, s.payload AS payload,
           r.fingerprint AS beforeFingerprint, r.payload AS beforePayload, r.remote_id AS remoteId
    FROM ${table.name} AS s
    LEFT JOIN snapshot_rows AS r ON r.sync = @sync AND r.key = s.key
    WHERE s.payload IS NOT NULL AND (r.fingerprint IS NULL OR r.fingerprint <> s.fingerprint) ${cursor.replace('$key', 's.key')}
    ORDER BY s.key LIMIT @limit`;
}

/** Led by the vanished keys (CROSS JOIN fixes the order): a page then reads only its own rows. */
function deleteCandidatesSql(vanished: string): (cursor: string) => string {
  return (cursor) => `
    SELECT r.key AS key, r.payload AS payload, r.remote_id AS remoteId
    FROM ${vanished} AS v CROSS JOIN snapshot_rows AS r
    WHERE r.sync = @sync AND r.key = v.key ${cursor.replace('$key', 'v.key')}
    ORDER BY v.key LIMIT @limit`;
}

/** Two statements per pass: the first page has no lower bound (the empty string is a valid key). */
function pager<T>(
  client: Database.Database,
  sql: (cursor: string) => string,
  sync: string,
  toChange: (row: T) => Change,
): ChangePage {
  const first = client.prepare(sql(''));
  const next = client.prepare(sql('AND $key > @after'));
  return (after, limit) => {
    const rows = (after === null ? first.all({ sync, limit }) : next.all({ sync, after, limit })) as T[];
    return rows.map(toChange);
  };
}

/**
 * Every create of a sync changes the same fields (the mapping's), so its creates share one frozen list
 * rather than hold one each: a first plan of a million rows is a million creates.
 */
class SharedFieldList {
  private last: readonly string[] = [];

  of(payload: Row): string[] {
    const fields = Object.keys(payload).sort();
    const last = this.last;
    if (fields.length !== last.length || fields.some((field, i) => field !== last[i])) this.last = Object.freeze(fields);
    return this.last as string[];
  }
}

function upsertChange(row: UpsertCandidate, createdFields: SharedFieldList): Change {
  const after = JSON.parse(row.payload) as Row;
  if (row.beforeFingerprint === null || row.beforePayload === null) {
    return { action: 'create', key: row.key, after, before: null, changedFields: createdFields.of(after), fingerprint: row.fingerprint, remoteId: null };
  }
  const before = JSON.parse(row.beforePayload) as Row;
  return {
    action: 'update',
    key: row.key,
    after,
    before,
    changedFields: changedFieldsBetween(before, after, canonicalJson),
    fingerprint: row.fingerprint,
    remoteId: row.remoteId,
  };
}

function deleteChange(row: DeleteCandidate): Change {
  return {
    action: 'delete',
    key: row.key,
    after: null,
    before: JSON.parse(row.payload) as Row,
    changedFields: [],
    fingerprint: null,
    remoteId: row.remoteId,
  };
}
