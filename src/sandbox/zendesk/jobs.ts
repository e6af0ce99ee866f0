import { randomBytes } from 'node:crypto';
import type { ZendeskKnobs } from './knobs.ts';
import type { ZendeskSandboxStats } from './stats.ts';
import type { JobResult } from './upsert.ts';

export type JobStatusValue = 'queued' | 'working' | 'completed' | 'failed' | 'killed';

interface SandboxJob {
  id: string;
  total: number;
  status: JobStatusValue;
  progress: number;
  message: string | null;
  results: JobResult[] | null;
  polls: number;
  /** Applies the job's rows; runs once, when the job completes (as Zendesk does, in the background). */
  run: () => JobResult[];
}

/**
 * Background jobs of the bulk endpoints. A job advances `queued → working → completed` as it is
 * polled (`pollsToComplete`), and only then touches the records, so a client that does not wait for
 * its job cannot see its writes.
 */
export class JobQueue {
  private readonly jobs = new Map<string, SandboxJob>();

  constructor(
    private readonly knobs: ZendeskKnobs,
    private readonly stats: ZendeskSandboxStats,
  ) {}

  outstanding(): number {
    let count = 0;
    for (const job of this.jobs.values()) if (job.status === 'queued' || job.status === 'working') count += 1;
    return count;
  }

  /** False when the account already has `maxQueuedJobs` jobs queued or running (the caller answers 429). */
  hasRoom(): boolean {
    return this.outstanding() < this.knobs.maxQueuedJobs;
  }

  create(total: number, run: () => JobResult[]): SandboxJob {
    const job: SandboxJob = { id: randomBytes(16).toString('hex'), total, status: 'queued', progress: 0, message: null, results: null, polls: 0, run };
    this.jobs.set(job.id, job);
    this.stats.jobsCreated += 1;
    this.stats.maxOutstandingJobs = Math.max(this.stats.maxOutstandingJobs, this.outstanding());
    if (this.knobs.pollsToComplete <= 0) this.finish(job);
    return job;
  }

  get(id: string): SandboxJob | undefined {
    return this.jobs.get(id);
  }

  /** One client poll: advances the job a step. */
  poll(id: string): SandboxJob | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    this.stats.jobPolls += 1;
    if (job.status !== 'queued' && job.status !== 'working') return job;
    job.polls += 1;
    if (job.polls >= this.knobs.pollsToComplete) this.finish(job);
    else {
      job.status = 'working';
      job.progress = Math.floor((job.total * job.polls) / this.knobs.pollsToComplete);
    }
    return job;
  }

  clear(): void {
    this.jobs.clear();
  }

  private finish(job: SandboxJob): void {
    if (this.knobs.failNextJobs > 0) {
      this.knobs.failNextJobs -= 1;
      job.status = this.knobs.failJobStatus;
      job.message = job.status === 'killed' ? 'Job was killed (sandbox failNextJobs)' : 'Job failed: internal error (sandbox failNextJobs)';
      return;
    }
    job.results = job.run();
    job.status = 'completed';
    job.progress = job.total;
    job.message = `Completed at ${new Date().toISOString()}`;
  }
}

/** The `job_status` body Zendesk returns from bulk endpoints and `GET /job_statuses/{id}`. */
export function jobStatusBody(job: SandboxJob, apiBase: string): { job_status: Record<string, unknown> } {
  return {
    job_status: {
      id: job.id,
      url: `${apiBase}/job_statuses/${job.id}.json`,
      total: job.total,
      progress: job.progress,
      status: job.status,
      message: job.message,
      results: job.results,
    },
  };
}
