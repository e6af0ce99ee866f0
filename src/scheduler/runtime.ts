import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AlertManager } from '../alerts/alert-manager.ts';
import { buildAlertChannels } from '../alerts/channels/build.ts';
import type { DeliveryRetryPolicy } from '../alerts/channels/http-post.ts';
import type { AlertChannel } from '../alerts/notification.ts';
import { FAILURE_RATE_WINDOW_RUNS, rejectionWindow } from '../alerts/rejection-window.ts';
import { cycleFindings } from '../alerts/rules.ts';
import { DEFAULT_OPERATIONS } from '../config/resolve-operations.ts';
import { resolveSecrets } from '../config/secrets.ts';
import type { ResolvedConfig, ResolvedSync, RetentionSettings, SchedulerSettings } from '../core/sync.ts';
import { systemClock, type Clock } from '../engine/clock.ts';
import type { EventSink } from '../engine/events.ts';
import type { ResolvedConnection } from '../engine/executor.ts';
import { lockHolderId } from '../engine/lock-holder.ts';
import { PacerRegistry } from '../engine/pacer.ts';
import type { RetryPolicy } from '../engine/retry.ts';
import { combineObservers, engineEventLogger, logPlanWarnings, schedulerLogObserver } from '../observability/log-observers.ts';
import type { SchedulerMetrics } from '../observability/metrics.ts';
import type { SourceSession } from '../sources/source.ts';
import type { AlertState, SnapshotStore } from '../snapshot/store.ts';
import type { CycleReport } from './cycle-report.ts';
import { runSyncCycle } from './cycle.ts';
import { heartbeatPinger } from './heartbeat.ts';
import { judgeState } from './judge-state.ts';
import { Scheduler, type SchedulerObserver } from './scheduler.ts';

/** What the scheduler needs of a loaded project (the CLI's Project satisfies it). */
export interface SchedulerProject {
  config: ResolvedConfig;
  store: SnapshotStore;
  openSource(connection: string): Promise<SourceSession>;
  connection(name: string): ResolvedConnection;
}

export interface RuntimeOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  toolVersion: string;
  /** Scheduler time (slots, health, lag, alerts); tests pass a controllable clock. */
  clock?: Clock;
  /** Engine time (retries, pacing). */
  engineClock?: Clock;
  retry?: RetryPolicy;
  alertRetry?: DeliveryRetryPolicy;
  /** Channels to use instead of the configured ones. */
  channels?: AlertChannel[];
  metrics?: SchedulerMetrics;
  events?: EventSink;
  /** More scheduler hooks, next to the logs and metrics. */
  observer?: SchedulerObserver;
}

/** Runs cycles of a project's syncs and alerts on what they find: shared by `ebb run` and `ebb schedule`. */
export interface SyncRuntime {
  scheduler: SchedulerSettings;
  retention: RetentionSettings;
  alerts: AlertManager;
  clock: Clock;
  runCycle(sync: ResolvedSync, options: { allowDeletes: boolean; signal?: AbortSignal }): Promise<CycleReport>;
  /** The rules judged after a run (cycle and state), recorded and notified; returns the changes of state. */
  alertOn(sync: ResolvedSync, report: CycleReport): Promise<AlertState[]>;
}

export function createSyncRuntime(project: SchedulerProject, options: RuntimeOptions): SyncRuntime {
  const { config, store } = project;
  const clock = options.clock ?? systemClock;
  const engineClock = options.engineClock ?? systemClock;
  const channels = options.channels ?? buildAlertChannels(config.alerts?.channels ?? DEFAULT_OPERATIONS.alerts.channels, { env: options.env, logger: options.logger, ...(options.alertRetry ? { retry: options.alertRetry } : {}) });
  const alerts = new AlertManager({ store, channels, clock, logger: options.logger, syncs: config.syncs, ...(options.metrics ? { onChange: (s) => options.metrics!.alertChanged(s) } : {}) });
  const engineLog = engineEventLogger(options.logger);
  const events: EventSink = options.events ? (e) => (engineLog(e), options.events!(e)) : engineLog;
  const pacers = new PacerRegistry(engineClock, events);
  const syncs = new Map(config.syncs.map((s) => [s.name, s]));
  const runtime: SyncRuntime = {
    scheduler: config.scheduler ?? DEFAULT_OPERATIONS.scheduler,
    retention: config.retention ?? DEFAULT_OPERATIONS.retention,
    alerts,
    clock,
    async runCycle(sync, cycle) {
      const report = await runSyncCycle(
        sync,
        { store, syncs, openSource: (c) => project.openSource(c), connection: (c) => project.connection(c), rootDir: config.rootDir, toolVersion: options.toolVersion, clock, engineClock, pacers, events, ...(options.retry ? { retry: options.retry } : {}) },
        cycle,
      );
      // Here rather than in the scheduler's observer: `ebb run` has no scheduler, and its warnings count as much.
      logPlanWarnings(options.logger, report);
      return report;
    },
    async alertOn(sync, report) {
      const now = clock.now();
      const health = await store.readHealth(sync.name);
      options.metrics?.stateEvaluated(sync, { pending: report.pending, health, now });
      // A schedule without a next slot is reported by the scheduler's timer; it must not cost this run its alerts.
      const { findings } = judgeState(sync, { pending: report.pending, health, now, neverRunSince: now });
      // Plan runs (warnings, blocked plans) are listed too: enough rows to find the window's apply runs among them.
      const history = report.attempted > 0 ? await store.listRuns({ sync: sync.name, limit: 4 * FAILURE_RATE_WINDOW_RUNS }) : [];
      return alerts.observe([...cycleFindings(sync, report, rejectionWindow(report, history)), ...findings]);
    },
  };
  return runtime;
}

/** The long-running scheduler over a runtime, with logs, metrics and the heartbeat wired in. */
export function createScheduler(project: SchedulerProject, runtime: SyncRuntime, options: RuntimeOptions): Scheduler {
  const settings = runtime.scheduler;
  const heartbeatUrl = settings.heartbeatUrl === undefined ? undefined : (resolveSecrets({ url: settings.heartbeatUrl }, options.env) as { url: string }).url;
  const metrics = options.metrics;
  const observer = combineObservers(
    schedulerLogObserver(options.logger),
    metrics ? { cycleFinished: (r) => metrics.cycleFinished(r), stateEvaluated: (s, st) => metrics.stateEvaluated(s, st), ticked: (now) => metrics.ticked(now) } : {},
    options.observer ?? {},
  );
  return new Scheduler({
    syncs: project.config.syncs,
    store: project.store,
    runCycle: (sync, { signal }) => runtime.runCycle(sync, { allowDeletes: false, signal }),
    alertOn: (sync, report) => runtime.alertOn(sync, report),
    alerts: runtime.alerts,
    clock: runtime.clock,
    concurrency: settings.concurrency,
    tickMs: settings.tickMs,
    evaluateEveryMs: settings.evaluateEveryMs,
    retentionDays: runtime.retention.days,
    holder: lockHolderId(`scheduler-${randomUUID()}`),
    heartbeatEveryMs: settings.heartbeatEveryMs,
    observer,
    ...(heartbeatUrl ? { heartbeat: heartbeatPinger(heartbeatUrl, options.logger) } : {}),
  });
}
