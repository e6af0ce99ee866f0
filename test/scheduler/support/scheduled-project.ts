import { captureIo } from '../../support/capture-io.ts';
import { createMemoryProject, type MemoryProject, type MemoryProjectOptions } from '../../support/memory-project.ts';
import { openProject, type Project } from '../../../src/cli/project.ts';
import { EBB_VERSION } from '../../../src/cli/version.ts';
import type { Clock } from '../../../src/engine/clock.ts';
import type { RetryPolicy } from '../../../src/engine/retry.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { SchedulerMetrics } from '../../../src/observability/metrics.ts';
import { createScheduler, createSyncRuntime, type RuntimeOptions, type SyncRuntime } from '../../../src/scheduler/runtime.ts';
import type { Scheduler } from '../../../src/scheduler/scheduler.ts';

export type ScheduledProjectOptions = MemoryProjectOptions;

/**
 * The memory project (DuckDB `customers` → memory sandbox `contacts`), with the sync's schedule and
 * SLAs and the config's scheduler/alerts sections set by the test.
 */
export function createScheduledProject(options: ScheduledProjectOptions): Promise<MemoryProject> {
  return createMemoryProject(options);
}

export const FAST_RETRY: RetryPolicy = { maxRateLimitedRetries: 3, maxTransientRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

export interface Harness {
  project: Project;
  runtime: SyncRuntime;
  scheduler: Scheduler;
  metrics: SchedulerMetrics;
  close(): Promise<void>;
}

/**
 * The project opened as the CLI opens it, with the runtime and scheduler `ebb schedule` builds.
 * `prepare` may change the loaded config first, e.g. to give a sync what the loader would refuse.
 */
export async function openHarness(dir: string, clock: Clock, overrides: Partial<RuntimeOptions> = {}, prepare?: (project: Project) => void): Promise<Harness> {
  const io = captureIo(dir, overrides.env ?? {});
  const project = await openProject(io, undefined);
  if (!project) throw new Error(`the test project did not load:\n${io.stderr()}`);
  prepare?.(project);
  const metrics = new SchedulerMetrics(project.config.syncs, { processMetrics: false });
  const options: RuntimeOptions = {
    env: {},
    logger: silentLogger(),
    toolVersion: EBB_VERSION,
    clock,
    retry: FAST_RETRY,
    alertRetry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    metrics,
    ...overrides,
  };
  const runtime = createSyncRuntime(project, options);
  const scheduler = createScheduler(project, runtime, options);
  return {
    project,
    runtime,
    scheduler,
    metrics,
    async close() {
      scheduler.stop();
      await scheduler.idle();
      await project.close();
    },
  };
}
