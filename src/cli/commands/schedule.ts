import { connectionOptions, resolveSecrets } from '../../config/index.ts';
import { DEFAULT_OPERATIONS } from '../../config/resolve-operations.ts';
import { createLogger } from '../../observability/logger.ts';
import { SchedulerMetrics } from '../../observability/metrics.ts';
import { startObservabilityServer } from '../../observability/server.ts';
import { createScheduler, createSyncRuntime } from '../../scheduler/runtime.ts';
import { SyncSchedule } from '../../scheduler/schedule.ts';
import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';
import { onStopSignals } from '../stop-signals.ts';
import { EBB_VERSION } from '../version.ts';

/**
 * `ebb schedule`: the long-running process. Runs due syncs, evaluates alert rules after every run and
 * on a timer, serves /metrics and /healthz, pings the heartbeat URL, prunes old history. On SIGTERM or
 * SIGINT it stops starting runs, lets the batches in flight finish and commit, and exits 0; a second
 * signal exits at once (1), leaving in-flight batches to be re-sent, safely, by the next run.
 */
export async function scheduleCommand(io: CliIo, project: Project): Promise<number> {
  const { config } = project;
  const scheduled = config.syncs.filter((s) => s.schedule);
  if (scheduled.length === 0) {
    io.err("No sync has a `schedule`. Add one, e.g. `schedule: { every: '15m' }` or `schedule: { cron: '0 * * * *', timezone: 'Europe/Paris' }`, or run syncs with `ebb run SYNC`.");
    return 1;
  }
  assertSecretsResolve(project, io.env);
  const logger = createLogger(config.logging ?? DEFAULT_OPERATIONS.logging);
  const metrics = new SchedulerMetrics(config.syncs);
  const options = { env: io.env, logger, toolVersion: EBB_VERSION, metrics };
  const runtime = createSyncRuntime(project, options);
  const scheduler = createScheduler(project, runtime, options);
  const settings = runtime.scheduler;
  const server = await startObservabilityServer({
    host: settings.metricsHost,
    port: settings.metricsPort,
    registry: metrics.registry,
    health: () => ({ ok: scheduler.isHealthy(), lastTickAt: scheduler.lastTick === null ? null : new Date(scheduler.lastTick).toISOString() }),
  });

  io.out(`Scheduling ${scheduled.length} sync(s), ${settings.concurrency} at a time: ${scheduled.map((s) => `${s.name} (${new SyncSchedule(s.schedule!).describe()})`).join(', ')}.`);
  const manual = config.syncs.length - scheduled.length;
  if (manual > 0) io.out(`${manual} sync(s) without a schedule run only with \`ebb run\`; their SLAs are still checked.`);
  io.out(`Metrics: ${server.url}/metrics · health: ${server.url}/healthz · logs: ${config.logging?.file ?? 'stderr (JSON lines)'}. Stop with Ctrl-C or SIGTERM.`);
  logger.info({ event: 'scheduler-started', syncs: scheduled.map((s) => s.name), concurrency: settings.concurrency, metrics: server.url, pid: process.pid }, 'scheduler started');

  let forced = false;
  const dispose = onStopSignals(
    (signal) => {
      io.out(`${signal}: finishing the batches in flight, then stopping (send it again to stop at once).`);
      logger.info({ event: 'scheduler-stopping', signal }, 'stop requested: finishing batches in flight');
      scheduler.stop();
    },
    (signal) => {
      forced = true;
      logger.warn({ event: 'scheduler-forced-stop', signal }, 'second stop signal: exiting without waiting for batches in flight');
    },
  );
  try {
    await Promise.race([scheduler.run(), dispose.forced]);
  } finally {
    dispose();
    await server.close();
  }
  if (forced) {
    io.err('Stopped without waiting: batches in flight were not acknowledged and are re-sent (safely) by the next run.');
    return 1;
  }
  logger.info({ event: 'scheduler-stopped' }, 'scheduler stopped cleanly');
  io.out('Stopped cleanly: every acknowledged batch is committed; unsent changes stay pending for the next run.');
  return 0;
}

/** A connection whose env() secret is missing would fail every run: refuse to start instead. */
function assertSecretsResolve(project: Project, env: NodeJS.ProcessEnv): void {
  const used = new Set(project.config.syncs.flatMap((s) => [s.source.connection, s.destination.connection]));
  for (const name of used) {
    const connection = project.config.connections[name];
    if (connection) resolveSecrets(connectionOptions(connection), env);
  }
}
