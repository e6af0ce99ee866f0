import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ResolvedSync } from '../core/sync.ts';
import type { CycleReport } from '../scheduler/cycle-report.ts';
import { deliveryLagMs } from '../alerts/rules.ts';
import type { AlertSeverity, AlertState, PendingSummary, SyncHealth } from '../snapshot/store.ts';

const SEVERITY_VALUE: Record<AlertSeverity, number> = { ok: 0, warning: 1, critical: 2 };

/**
 * The scheduler's Prometheus metrics, in a registry of their own (never prom-client's global one):
 * a process may build several (tests do), and nothing is registered merely by importing Ebb.
 */
export class SchedulerMetrics {
  readonly registry = new Registry();
  private readonly lag: Gauge<'sync'>;
  private readonly lastSuccess: Gauge<'sync'>;
  private readonly backlog: Gauge<'sync'>;
  private readonly planned: Counter<'sync'>;
  private readonly applied: Counter<'sync'>;
  private readonly failed: Counter<'sync'>;
  private readonly runs: Counter<'sync' | 'outcome'>;
  private readonly apiCalls: Counter<'account'>;
  private readonly rateLimited: Counter<'account'>;
  private readonly alerts: Gauge<'sync' | 'rule'>;
  private readonly lastTick: Gauge;

  constructor(syncs: readonly ResolvedSync[], options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.lag = new Gauge({ name: 'ebb_sync_delivery_lag_seconds', help: 'Age of the oldest model change not yet in the destination (0 when nothing is pending).', labelNames: ['sync'], registers });
    this.lastSuccess = new Gauge({ name: 'ebb_sync_last_success_timestamp_seconds', help: 'When the last successful run of the sync finished (unix seconds).', labelNames: ['sync'], registers });
    this.backlog = new Gauge({ name: 'ebb_sync_backlog', help: 'Changes planned but not yet delivered.', labelNames: ['sync'], registers });
    this.planned = new Counter({ name: 'ebb_sync_rows_planned_total', help: 'Changes planned by scheduled runs.', labelNames: ['sync'], registers });
    this.applied = new Counter({ name: 'ebb_sync_rows_applied_total', help: 'Changes the destination acknowledged.', labelNames: ['sync'], registers });
    this.failed = new Counter({ name: 'ebb_sync_rows_failed_total', help: 'Changes recorded as failed (rejected rows and rows of failed calls).', labelNames: ['sync'], registers });
    this.runs = new Counter({ name: 'ebb_sync_runs_total', help: 'Runs by outcome.', labelNames: ['sync', 'outcome'], registers });
    this.apiCalls = new Counter({ name: 'ebb_destination_api_calls_total', help: 'API calls made to the destination account.', labelNames: ['account'], registers });
    this.rateLimited = new Counter({ name: 'ebb_destination_rate_limited_total', help: 'Calls the destination account answered with 429.', labelNames: ['account'], registers });
    this.alerts = new Gauge({ name: 'ebb_alert_state', help: 'Alert state per sync and rule: 0 ok, 1 warning, 2 critical.', labelNames: ['sync', 'rule'], registers });
    this.lastTick = new Gauge({ name: 'ebb_scheduler_last_tick_timestamp_seconds', help: 'When the scheduler loop last ticked (unix seconds).', registers });
    // Every sync has its series from the start, so "no data" never hides a sync that never ran.
    for (const { name } of syncs) {
      for (const counter of [this.planned, this.applied, this.failed]) counter.inc({ sync: name }, 0);
      this.backlog.set({ sync: name }, 0);
      this.lag.set({ sync: name }, 0);
    }
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  cycleFinished(report: CycleReport): void {
    const sync = report.sync;
    this.runs.inc({ sync, outcome: report.outcome });
    this.planned.inc({ sync }, report.plan?.changes ?? 0);
    if (report.apply) {
      this.applied.inc({ sync }, report.apply.delivered);
      this.failed.inc({ sync }, report.apply.failed);
      if (report.account) {
        this.apiCalls.inc({ account: report.account }, report.apply.apiCalls);
        this.rateLimited.inc({ account: report.account }, report.apply.rateLimited);
      }
    }
  }

  stateEvaluated(sync: ResolvedSync, state: { pending: PendingSummary; health: SyncHealth | null; now: number }): void {
    this.lag.set({ sync: sync.name }, deliveryLagMs(state.pending, state.now) / 1000);
    this.backlog.set({ sync: sync.name }, state.pending.count);
    if (state.health?.lastSuccessAt) this.lastSuccess.set({ sync: sync.name }, Date.parse(state.health.lastSuccessAt) / 1000);
  }

  alertChanged(state: AlertState): void {
    this.alerts.set({ sync: state.sync, rule: state.rule }, SEVERITY_VALUE[state.severity]);
  }

  ticked(now: number): void {
    this.lastTick.set(now / 1000);
  }

  text(): Promise<string> {
    return exposition(this.registry);
  }
}

/**
 * The registry's text, with prom-client's `Nan` spelled `NaN` as the exposition format specifies
 * (Prometheus itself parses either; stricter scrapers do not).
 */
export async function exposition(registry: Registry): Promise<string> {
  return (await registry.metrics()).replace(/ Nan$/gm, ' NaN');
}
