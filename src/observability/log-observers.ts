import type { Logger } from 'pino';
import { describeError } from '../core/errors.ts';
import type { EngineEvent, EventSink } from '../engine/events.ts';
import { warningLine, type CycleReport } from '../scheduler/cycle-report.ts';
import { formatDuration } from '../scheduler/schedule.ts';
import type { SchedulerObserver } from '../scheduler/scheduler.ts';

/** Engine events as log lines: run boundaries and retries at info/warn, per-batch detail at debug. */
export function engineEventLogger(logger: Logger): EventSink {
  return (event: EngineEvent) => {
    switch (event.type) {
      case 'apply-started':
        return logger.info({ event: event.type, sync: event.sync, runId: event.runId, changes: event.changes }, `applying ${event.changes} change(s) to ${event.sync}`);
      case 'apply-finished': {
        const { result } = event;
        const level = result.status === 'failed' ? 'error' : result.status === 'partial' ? 'warn' : 'info';
        return logger[level]({ event: event.type, sync: event.sync, runId: event.runId, result }, `${event.sync}: ${result.status}, ${result.delivered} delivered, ${result.failed} failed of ${result.planned}`);
      }
      case 'retry-scheduled':
        return logger.warn({ event: event.type, sync: event.sync, reason: event.reason, attempt: event.attempt, delayMs: event.delayMs, error: event.message }, `${event.sync}: retrying in ${event.delayMs} ms (${event.reason})`);
      case 'pace-adjusted':
        return logger.info({ event: event.type, account: event.account, requests: event.requests, windowMs: event.windowMs }, event.reason);
      case 'plan-read-progress':
        return;
      default:
        return logger.debug({ ...event, event: event.type }, event.type);
    }
  };
}

/** A cycle's plan warnings, one warn line each with its code: for `ebb run` and `ebb schedule` alike. */
export function logPlanWarnings(logger: Logger, report: CycleReport): void {
  for (const warning of report.warnings) logger.warn({ event: 'plan-warning', sync: report.sync, code: warning.code }, warningLine(report.sync, warning));
}

/** Scheduler activity as log lines. */
export function schedulerLogObserver(logger: Logger): SchedulerObserver {
  return {
    cycleStarted: (sync, dueAt) => logger.info({ event: 'run-started', sync, dueAt: new Date(dueAt).toISOString() }, `run of ${sync} started`),
    cycleFinished: (report) => logger[levelOf(report)](cycleFields(report), `run of ${report.sync}: ${report.outcome}${report.message ? ` (${report.message})` : ''}`),
    pruned: (result, before) => logger.info({ event: 'pruned', before, ...result }, `pruned history older than ${before}`),
    failed: (context, error) => logger.error({ event: 'scheduler-error', context, error: describeError(error) }, `scheduler error in ${context}: ${describeError(error)}`),
    clockWentBack: ({ what, at, now }) =>
      logger.warn(
        { event: 'clock-skew', what, at: new Date(at).toISOString(), now: new Date(now).toISOString(), aheadMs: at - now },
        `the clock went back: ${what} is ${formatDuration(at - now)} ahead of now (${new Date(now).toISOString()}); scheduling from now instead`,
      ),
  };
}

function levelOf(report: CycleReport): 'info' | 'warn' | 'error' {
  if (report.outcome === 'failed' || report.outcome === 'plan-failed' || report.outcome === 'blocked') return 'error';
  if (report.outcome === 'partial' || report.outcome === 'busy') return 'warn';
  return 'info';
}

function cycleFields(report: CycleReport): Record<string, unknown> {
  return {
    event: 'run-finished',
    sync: report.sync,
    outcome: report.outcome,
    durationMs: report.finishedAt - report.startedAt,
    planned: report.plan?.changes ?? null,
    delivered: report.apply?.delivered ?? 0,
    failed: report.apply?.failed ?? 0,
    attempted: report.attempted,
    rejected: report.rejected,
    pending: report.pending.count,
    oldestPendingSince: report.pending.oldestFirstSeenAt,
  };
}

/** Calls every observer's hook in turn. */
export function combineObservers(...observers: SchedulerObserver[]): SchedulerObserver {
  const each = <K extends keyof SchedulerObserver>(key: K) =>
    ((...args: unknown[]) => {
      for (const o of observers) (o[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
    }) as NonNullable<SchedulerObserver[K]>;
  return { cycleStarted: each('cycleStarted'), cycleFinished: each('cycleFinished'), stateEvaluated: each('stateEvaluated'), ticked: each('ticked'), pruned: each('pruned'), failed: each('failed'), clockWentBack: each('clockWentBack') };
}
