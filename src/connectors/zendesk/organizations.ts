import type { RowError } from '../../core/errors.ts';
import type { JsonValue } from '../../core/values.ts';
import type { BatchItem, ItemResult } from '../connector.ts';
import type { ZendeskApi } from './api.ts';
import type { JobStatus } from './job.ts';
import { toZendeskRecord } from './payload.ts';
import { assignEntries, isFailure, NO_RESULT, rowError, upsertResults, wholeCallRejection } from './results.ts';

/** Starts a bulk job and waits for it; a 422 on the call comes back as `rejected`. */
export type RunJob = (method: string, uri: unknown[], body?: Record<string, JsonValue>) => Promise<{ job: JobStatus } | { rejected: unknown }>;

/**
 * Upserts organizations. Zendesk has a bulk create-or-update for users only: organizations have
 * `create_many`, `update_many` (by Zendesk id) and a one-record `create_or_update`. So rows whose
 * Zendesk id the snapshot knows go through update_many, the others through create_many, both 100 a
 * job. A row either job could not place (an organization created outside Ebb or before a reset, one
 * deleted in Zendesk since, a name already taken) is settled by one create_or_update call, matched
 * on external_id, whose answer is final.
 */
export async function upsertOrganizations(api: ZendeskApi, runJob: RunJob, items: BatchItem[]): Promise<ItemResult[]> {
  const records = items.map((item) => toZendeskRecord('organizations', item));
  const results: ItemResult[] = new Array(items.length);
  const settleOneByOne = new Set<number>();
  const known: number[] = [];
  const fresh: number[] = [];
  items.forEach((item, i) => (item.remoteId !== null && /^\d+$/.test(item.remoteId) ? known : fresh).push(i));

  if (known.length > 0) {
    const sent = known.map((i) => ({ id: Number(items[i]!.remoteId), ...records[i]! }));
    const reply = await runJob('PUT', ['organizations', 'update_many'], { organizations: sent });
    const mapped = 'rejected' in reply ? wholeCallRejection(reply.rejected, sent.length) : updateResults(sent, reply.job);
    known.forEach((row, k) => (results[row] = mapped[k]!));
    if (!('rejected' in reply)) known.forEach((row) => results[row]!.status === 'failed' && settleOneByOne.add(row));
  }
  if (fresh.length > 0) {
    const sent = fresh.map((i) => records[i]!);
    const reply = await runJob('POST', ['organizations', 'create_many'], { organizations: sent });
    const mapped = 'rejected' in reply ? wholeCallRejection(reply.rejected, sent.length) : upsertResults(sent, reply.job.results, 'organization_fields');
    fresh.forEach((row, k) => (results[row] = mapped[k]!));
    if (!('rejected' in reply)) fresh.forEach((row) => results[row]!.status === 'failed' && settleOneByOne.add(row));
  }
  for (const row of settleOneByOne) {
    const result = results[row]!;
    if (result.status === 'failed' && result.error === NO_RESULT) continue; // the job may have written it: next run
    results[row] = await createOrUpdateOne(api, records[row]!);
  }
  return results;
}

/** Results of an update_many job, paired by index, else by Zendesk id, else by position. */
function updateResults(sent: (Record<string, JsonValue> & { id: number })[], job: JobStatus): ItemResult[] {
  const assigned = assignEntries(job.results, sent.length, (entry, row) => (entry.id === undefined || entry.id === null ? null : String(entry.id) === String(sent[row]!.id)));
  return assigned.map((entry, row): ItemResult => {
    if (!entry) return { status: 'failed', error: NO_RESULT };
    if (isFailure(entry)) return { status: 'failed', error: rowError(entry) };
    return { status: 'ok', remoteId: String(entry.id ?? sent[row]!.id) };
  });
}

async function createOrUpdateOne(api: ZendeskApi, record: Record<string, JsonValue>): Promise<ItemResult> {
  const reply = await api.send('POST', ['organizations', 'create_or_update'], { organization: record }, [422]);
  if (reply.status === 422) return { status: 'failed', error: recordInvalid(reply.body) };
  const id = (reply.body as { organization?: { id?: unknown } } | null)?.organization?.id;
  return { status: 'ok', remoteId: typeof id === 'number' || typeof id === 'string' ? String(id) : null };
}

/** `{"error":"RecordInvalid","details":{"name":[{"description":"Name: has already been taken","error":"…"}]}}` as a row error on that field. */
function recordInvalid(body: unknown): RowError {
  const { details } = (body ?? {}) as { details?: unknown };
  const [field, problems] = details && typeof details === 'object' && !Array.isArray(details) ? (Object.entries(details)[0] ?? []) : [];
  const first = Array.isArray(problems) ? (problems[0] as { description?: unknown; error?: unknown } | undefined) : undefined;
  if (typeof field !== 'string' || !first || typeof first.description !== 'string') {
    const whole = wholeCallRejection(body, 1)[0]!;
    return whole.status === 'failed' ? whole.error : { code: 'RecordInvalid', message: 'Zendesk rejected the organization (422)' };
  }
  const error: RowError = { code: typeof first.error === 'string' ? first.error : 'RecordInvalid', message: first.description };
  if (field !== 'base') error.field = field;
  return error;
}
