import { TerminalError, TransientError } from '../../core/errors.ts';
import type { Batch, ItemResult } from '../connector.ts';
import { readCsv } from './bulk-csv.ts';
import { correlateBulkResults } from './bulk-results.ts';
import { buildUpload, type BulkUpload } from './bulk-upload.ts';
import type { Meter, SalesforceClient } from './client.ts';

export interface BulkPolling {
  sleep(ms: number): Promise<void>;
  intervalMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
}

interface JobInfo {
  id: string;
  state: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

const FINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);
/** A fresh object per request: jsforce writes Authorization and content-length into the headers it is given. */
const jsonHeaders = (): Record<string, string> => ({ 'content-type': 'application/json; charset=utf-8' });
const JOBS = '/jobs/ingest';

/**
 * One batch as one Bulk API 2.0 ingest job: create, upload the CSV (a string body, never a stream, and
 * with jsforce retries off, so no retry can ever send an empty upload), close, poll with backoff, then
 * read the three result files and account for every row.
 */
export async function applyBulk(client: SalesforceClient, meter: Meter, batch: Batch, polling: BulkPolling, multiPicklists: ReadonlySet<string> = new Set()): Promise<ItemResult[]> {
  const upload = buildUpload(batch, multiPicklists);
  if (upload.sent.length === 0) return batch.items.map((_, i) => upload.results[i]!);
  const job = await client.request<JobInfo>(meter, `bulk ${upload.operation} job for ${batch.object}`, {
    method: 'POST',
    url: JOBS,
    headers: jsonHeaders(),
    body: JSON.stringify({
      object: batch.object,
      operation: upload.operation,
      ...(upload.externalIdFieldName ? { externalIdFieldName: upload.externalIdFieldName } : {}),
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    }),
  });
  // A started job must run to the end even past the daily budget: its rows' fate must be known.
  const step = { checkBudget: false } as const;
  try {
    await client.request(meter, `bulk upload to job ${job.id}`, { method: 'PUT', url: `${JOBS}/${job.id}/batches`, headers: { 'content-type': 'text/csv' }, body: upload.csv }, { ...step, text: true });
    await client.request(meter, `bulk close of job ${job.id}`, { method: 'PATCH', url: `${JOBS}/${job.id}`, headers: jsonHeaders(), body: JSON.stringify({ state: 'UploadComplete' }) }, step);
  } catch (error) {
    // Best effort: an open job would otherwise linger until Salesforce times it out.
    await client.request(meter, `bulk abort of job ${job.id}`, { method: 'PATCH', url: `${JOBS}/${job.id}`, headers: jsonHeaders(), body: JSON.stringify({ state: 'Aborted' }) }, step).catch(() => undefined);
    throw error;
  }
  const info = await poll(client, meter, job.id, upload, polling);
  if (info.state === 'Failed' && !(Number(info.numberRecordsProcessed) > 0)) {
    throw new TerminalError(`Salesforce bulk job ${job.id} failed before processing any row: ${info.errorMessage ?? 'no reason given'}. Nothing from this batch was written; fix the cause (often a field in the mapping) and re-run.`, { code: 'BULK_JOB_FAILED' });
  }
  const read = (kind: string) => client.request<string>(meter, `bulk ${kind} of job ${job.id}`, { method: 'GET', url: `${JOBS}/${job.id}/${kind}` }, { ...step, text: true });
  const [successful, failed, unprocessed] = await Promise.all([read('successfulResults'), read('failedResults'), read('unprocessedrecords')]);
  const results = correlateBulkResults(upload, {
    jobId: job.id,
    state: info.state,
    successful: readCsv(successful ?? ''),
    failed: readCsv(failed ?? ''),
    unprocessed: readCsv(unprocessed ?? ''),
  });
  return batch.items.map((_, i) => results[i]!);
}

async function poll(client: SalesforceClient, meter: Meter, jobId: string, upload: BulkUpload, polling: BulkPolling): Promise<JobInfo> {
  let interval = polling.intervalMs;
  let waited = 0;
  for (;;) {
    await polling.sleep(interval);
    waited += interval;
    const info = await client.request<JobInfo>(meter, `bulk status of job ${jobId}`, { method: 'GET', url: `${JOBS}/${jobId}` }, { checkBudget: false });
    if (FINAL_STATES.has(info.state)) return info;
    if (waited >= polling.timeoutMs) {
      const message = `Salesforce bulk job ${jobId} was still ${info.state} after ${waited} ms of polling (bulkPollTimeoutMs); it keeps running in Salesforce.`;
      // Re-sending an insert could create every row twice, so only idempotent operations are worth an automatic retry.
      if (upload.operation === 'insert') throw new TerminalError(`${message} Check the job before re-running: re-sending these inserts could duplicate records.`, { code: 'BULK_POLL_TIMEOUT' });
      throw new TransientError(`${message} Re-sending this ${upload.operation} is safe.`, { code: 'BULK_POLL_TIMEOUT' });
    }
    interval = Math.min(Math.round(interval * 1.5), polling.maxIntervalMs);
  }
}
