import type { RowError } from '../../core/errors.ts';
import type { JsonValue } from '../../core/values.ts';
import type { ItemResult } from '../connector.ts';
import type { JobResultEntry } from './job.ts';

const lower = (value: unknown): string | null => (typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase() : null);

/** Whether an entry's value names the row's (case-insensitively); null when either side has none. */
function sameValue(fromEntry: unknown, fromRow: unknown): boolean | null {
  const entryValue = lower(fromEntry);
  const rowValue = lower(fromRow);
  return entryValue === null || rowValue === null ? null : entryValue === rowValue;
}

export const NO_RESULT: RowError = {
  code: 'ZENDESK_NO_RESULT',
  message: "Zendesk's job completed without a result for this row; it stays pending and is sent again next run.",
};

/**
 * Pairs each job result with the request row it belongs to: by `index` when Zendesk gives one (bulk
 * creates do), else by the row's identity (external_id or email for upserts, id for deletes), else by
 * position: results follow request order (Zendesk developer advocacy, community post 4408861015066).
 * Position is trusted only when the list has one entry per row: in a shorter or longer one, every
 * entry after a gap would land on the wrong row. An entry whose identity matches no row still goes
 * by position: Zendesk echoes the record's own email, which need not be the one the row sent (a user
 * keeps its primary email when the row adds another), so a mismatch does not mean another row.
 */
export function assignEntries(entries: JobResultEntry[], rowCount: number, identifies: (entry: JobResultEntry, row: number) => boolean | null): (JobResultEntry | undefined)[] {
  const assigned: (JobResultEntry | undefined)[] = new Array(rowCount).fill(undefined);
  const rest: [JobResultEntry, number][] = [];
  const positional = entries.length === rowCount;
  entries.forEach((entry, position) => {
    const index = entry.index;
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < rowCount && !assigned[index]) assigned[index] = entry;
    else rest.push([entry, position]);
  });
  for (const [entry, position] of rest) {
    let target = -1;
    let matchesSomeRow = false;
    for (let row = 0; row < rowCount && target < 0; row += 1) {
      if (identifies(entry, row) !== true) continue;
      matchesSomeRow = true;
      if (!assigned[row]) target = row;
    }
    // An entry naming a row already taken is a duplicate, not this position's result.
    if (target < 0 && !matchesSomeRow && positional && !assigned[position]) target = position;
    if (target >= 0) assigned[target] = entry;
  }
  return assigned;
}

/** `"Email: bad@ is not properly formatted"` → `email`, when the row has such a field. */
function fieldFromDetails(details: string | undefined, record: Record<string, JsonValue>, customAttribute: string): string | undefined {
  const label = /^([A-Za-z][A-Za-z _]*):/.exec(details ?? '')?.[1];
  if (!label) return undefined;
  const name = label.trim().toLowerCase().replace(/\s+/g, '_');
  if (name in record) return name;
  const custom = record[customAttribute];
  if (custom && typeof custom === 'object' && !Array.isArray(custom) && name in custom) return `${customAttribute}.${name}`;
  return undefined;
}

export function isFailure(entry: JobResultEntry): boolean {
  return entry.status === 'Failed' || entry.success === false || (typeof entry.error === 'string' && entry.error !== '');
}

export function rowError(entry: JobResultEntry, field?: string): RowError {
  const code = entry.error || 'Failed';
  const error: RowError = { code, message: entry.details || entry.error || 'Zendesk rejected the row without details.' };
  if (field) error.field = field;
  return error;
}

/** Results of a create_or_update_many job, one per row sent. */
export function upsertResults(records: Record<string, JsonValue>[], entries: JobResultEntry[], customAttribute: string): ItemResult[] {
  // Zendesk's user results carry id, status and the user's email, not its external_id (community post
  // 4408861015066); external_id is compared only when an entry has it. An attribute the row does not
  // send (a sync that maps no email) cannot tell rows apart: unknown, so position decides.
  const assigned = assignEntries(entries, records.length, (entry, row) => {
    const record = records[row]!;
    const externalId = sameValue(entry.external_id, record.external_id);
    return externalId !== null ? externalId : sameValue(entry.email, record.email);
  });
  return assigned.map((entry, row): ItemResult => {
    if (!entry) return { status: 'failed', error: NO_RESULT };
    if (isFailure(entry)) return { status: 'failed', error: rowError(entry, fieldFromDetails(entry.details, records[row]!, customAttribute)) };
    return { status: 'ok', remoteId: entry.id === undefined || entry.id === null ? null : String(entry.id) };
  });
}

/**
 * Results of a destroy_many job. A record Zendesk no longer has is what a delete wants, so
 * `RecordNotFound` counts as done (a re-sent delete after a crash must not fail).
 */
export function deleteResults(targets: string[], by: 'ids' | 'external_ids', entries: JobResultEntry[]): ItemResult[] {
  const assigned = assignEntries(entries, targets.length, (entry, row) => {
    const identity = by === 'ids' ? entry.id : entry.external_id;
    return identity === undefined || identity === null ? null : lower(identity) === lower(targets[row]);
  });
  return assigned.map((entry, row): ItemResult => {
    if (!entry) return { status: 'failed', error: NO_RESULT };
    if (isFailure(entry) && entry.error !== 'RecordNotFound') return { status: 'failed', error: rowError(entry) };
    const known = entry.error !== 'RecordNotFound' && entry.id !== undefined && entry.id !== null;
    return { status: 'ok', remoteId: known ? String(entry.id) : by === 'ids' ? targets[row]! : null };
  });
}

/** A 422 on the whole call: every row of that call gets the body's error. */
export function wholeCallRejection(body: unknown, rowCount: number): ItemResult[] {
  const { error, description, details } = (body ?? {}) as { error?: unknown; description?: unknown; details?: unknown };
  const detailText = details && typeof details === 'object' ? ` ${JSON.stringify(details).slice(0, 300)}` : '';
  const field = details && typeof details === 'object' && !Array.isArray(details) ? Object.keys(details)[0] : undefined;
  const rowErr: RowError = {
    code: typeof error === 'string' ? error : 'UnprocessableEntity',
    message: `${typeof description === 'string' ? description : 'Zendesk rejected the request (422)'}${detailText}`,
  };
  if (field) rowErr.field = field;
  return Array.from({ length: rowCount }, () => ({ status: 'failed', error: rowErr }));
}
