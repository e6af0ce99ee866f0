import { RateLimitedError, TransientError } from '../../core/errors.ts';
import type { ZendeskApi } from './api.ts';

/** One entry of a finished job's `results[]` (shapes vary by endpoint; every field is optional). */
export interface JobResultEntry {
  index?: number;
  id?: number | string;
  status?: string;
  error?: string;
  details?: string;
  external_id?: string;
  email?: string;
  success?: boolean;
  action?: string;
}

export interface JobStatus {
  id: string;
  status: string;
  message: string | null;
  results: JobResultEntry[];
}

export interface PollSettings {
  sleep: (ms: number) => Promise<void>;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  jobTimeoutMs: number;
}

const RUNNING = new Set(['queued', 'working']);
/** Consecutive transient failures of the status endpoint tolerated while a job runs. */
const MAX_POLL_FAILURES = 3;

/** Reads `{ job_status: {...} }`; anything else means the answer was not Zendesk's. */
export function parseJobStatus(body: unknown, where: string): JobStatus {
  const job = (body as { job_status?: unknown } | null)?.job_status as Record<string, unknown> | undefined;
  if (!job || typeof job.id !== 'string' || typeof job.status !== 'string') {
    throw new TransientError(`Zendesk ${where} answered without a job_status (got ${JSON.stringify(body)?.slice(0, 200)}); a proxy or gateway may be in the way.`, { code: 'ZENDESK_BAD_RESPONSE' });
  }
  return {
    id: job.id,
    status: job.status,
    message: typeof job.message === 'string' ? job.message : null,
    results: Array.isArray(job.results) ? (job.results as JobResultEntry[]) : [],
  };
}

/**
 * Polls a bulk job until it finishes, waiting with backoff through the injected sleep (each poll
 * costs one request of the per-minute budget, so node-zendesk's 500 ms `watch` is not used). A 429
 * while polling waits its Retry-After when that still fits the timeout. A failed or killed job, a
 * job that vanished, or one that outlives the timeout is a TransientError: the engine re-sends the
 * batch, which is safe because rows are upserted by external_id.
 */
export async function waitForJob(api: ZendeskApi, initial: JobStatus, settings: PollSettings): Promise<JobStatus> {
  let job = initial;
  let waited = 0;
  let delay = settings.pollIntervalMs;
  let failures = 0;
  while (RUNNING.has(job.status)) {
    if (waited >= settings.jobTimeoutMs) {
      throw new TransientError(`Zendesk job ${job.id} was still ${job.status} after ${waited} ms of polling; the batch will be re-sent.`, { code: 'ZENDESK_JOB_TIMEOUT' });
    }
    await settings.sleep(delay);
    waited += delay;
    delay = Math.min(Math.round(delay * 1.5), settings.maxPollIntervalMs);
    try {
      const reply = await api.send('GET', ['job_statuses', job.id], undefined, [404]);
      if (reply.status === 404) throw new TransientError(`Zendesk job ${job.id} is gone (jobs expire after about an hour); the batch will be re-sent.`, { code: 'ZENDESK_JOB_LOST' });
      job = parseJobStatus(reply.body, `GET /job_statuses/${job.id}`);
      failures = 0;
    } catch (error) {
      if (error instanceof RateLimitedError && waited + error.retryAfterMs <= settings.jobTimeoutMs) {
        await settings.sleep(error.retryAfterMs);
        waited += error.retryAfterMs;
        continue;
      }
      if (error instanceof TransientError && error.code !== 'ZENDESK_JOB_LOST' && ++failures < MAX_POLL_FAILURES) continue;
      throw error;
    }
  }
  if (job.status !== 'completed') {
    throw new TransientError(`Zendesk job ${job.id} ended "${job.status}"${job.message ? `: ${job.message}` : ''}; the batch will be re-sent.`, { code: 'ZENDESK_JOB_FAILED' });
  }
  return job;
}
