import { syncsInDependencyOrder } from '../config/dependencies.ts';
import { describeError, EbbError } from '../core/errors.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { Clock } from '../engine/clock.ts';
import type { AlertManager } from '../alerts/alert-manager.ts';
import type { Finding } from '../alerts/rules.ts';
import type { PendingSummary, PruneResult, SnapshotStore, SyncHealth } from '../snapshot/store.ts';
import type { CycleReport } from './cycle-report.ts';
import type { HeartbeatPinger } from './heartbeat.ts';
import { judgeState } from './judge-state.ts';
import { SyncSchedule } from './schedule.ts';

/** Hooks for metrics and logs; the scheduler itself prints nothing. */
export interface SchedulerObserver {
  cycleStarted?(sync: string, dueAt: number): void;
  cycleFinished?(report: CycleReport): void;
  stateEvaluated?(sync: ResolvedSync, state: { pending: PendingSummary; health: SyncHealth | null; now: number }): void;
  ticked?(now: number): void;
  pruned?(result: PruneResult, before: string): void;
  failed?(context: string, error: unknown): void;
  /** A time recorded earlier (`what`, at `at`) is later than now: the clock went back. Told once per finding. */
  clockWentBack?(skew: { what: string; at: number; now: number }): void;
}

export interface SchedulerOptions {
  /** Every sync: scheduled ones run on time; all are checked by the alert rules. */
  syncs: readonly ResolvedSync[];
  store: SnapshotStore;
  runCycle(sync: ResolvedSync, options: { signal: AbortSignal }): Promise<CycleReport>;
  /** Judges the alert rules on a finished run (see SyncRuntime.alertOn). */
  alertOn(sync: ResolvedSync, report: CycleReport): Promise<unknown>;
  alerts: AlertManager;
  clock: Clock;
  concurrency: number;
  tickMs: number;
  evaluateEveryMs: number;
  retentionDays: number;
  /** Identifies this process in the heartbeat table. */
  holder: string;
  heartbeat?: HeartbeatPinger;
  heartbeatEveryMs?: number;
  observer?: SchedulerObserver;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface QueuedRun {
  sync: ResolvedSync;
  dueAt: number;
}

/**
 * `ebb schedule`'s loop. Each tick queues the syncs that are due; queued syncs start while fewer than
 * `concurrency` run, a sync only after the syncs it depends on that are queued or running finished,
 * and never twice at once. A sync's next slot is set when it starts, from the slot it ran for, so
 * slots missed while it ran or while Ebb was down produce one run, not one per slot.
 */
export class Scheduler {
  private readonly schedules = new Map<string, SyncSchedule>();
  private readonly order: Map<string, number>;
  private readonly nextDue = new Map<string, number>();
  private queue: QueuedRun[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly runningSince = new Map<string, number>();
  /** Syncs whose next slot could not be computed, with why: off the schedule until a restart, and alerted on. */
  private readonly unschedulable = new Map<string, string>();
  private readonly stopController = new AbortController();
  private readonly startedAt: number;
  private initialised = false;
  private lastTickAt: number | null = null;
  private lastEvaluatedAt = -Infinity;
  private lastPrunedAt = -Infinity;
  private lastPingAt = -Infinity;
  private pinging: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.startedAt = options.clock.now();
    this.order = new Map(syncsInDependencyOrder(options.syncs).map((sync, i) => [sync.name, i]));
    for (const sync of options.syncs) if (sync.schedule) this.schedules.set(sync.name, new SyncSchedule(sync.schedule));
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Runs ticks until stop(); resolves once in-flight runs have committed and alerts are sent. */
  async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (error) {
        this.options.observer?.failed?.('tick', error);
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void this.options.clock.sleep(this.msUntilNextWake()).then(resolve);
      });
      this.wake = null;
    }
    await this.idle();
  }

  /** Stops starting runs and asks running ones to stop after their batches in flight. */
  stop(): void {
    this.queue = [];
    this.stopController.abort();
    this.wake?.();
  }

  /** Resolves when no run is in flight and every queued notification was attempted. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    await this.pinging;
    await this.options.alerts.settled();
  }

  /** For /healthz: the loop ticked within max(3 ticks, 30 s). */
  isHealthy(now: number = this.options.clock.now()): boolean {
    return this.lastTickAt !== null && now - this.lastTickAt <= Math.max(3 * this.options.tickMs, 30_000);
  }

  get lastTick(): number | null {
    return this.lastTickAt;
  }

  /** One pass: queue and start due syncs, evaluate alert rules when due, prune hourly, beat. */
  async tick(): Promise<void> {
    if (this.stopping) return;
    const { clock, store, observer } = this.options;
    await this.initialise();
    const now = clock.now();
    if (this.lastTickAt !== null && now < this.lastTickAt) this.clockWentBack(now);
    for (const [name, due] of this.nextDue) {
      if (due > now || this.running.has(name) || this.queue.some((q) => q.sync.name === name)) continue;
      this.queue.push({ sync: this.options.syncs.find((s) => s.name === name)!, dueAt: due });
    }
    this.queue.sort((a, b) => this.order.get(a.sync.name)! - this.order.get(b.sync.name)!);
    this.dispatch();
    if (now - this.lastEvaluatedAt >= this.options.evaluateEveryMs) {
      this.lastEvaluatedAt = now;
      await this.evaluateAll(now);
    }
    if (now - this.lastPrunedAt >= HOUR_MS) {
      this.lastPrunedAt = now;
      const before = new Date(now - this.options.retentionDays * DAY_MS).toISOString();
      observer?.pruned?.(await store.prune({ before }), before);
    }
    await store.beat({ holder: this.options.holder, startedAt: new Date(this.startedAt).toISOString(), lastTickAt: new Date(now).toISOString(), tickMs: this.options.tickMs });
    this.lastTickAt = now;
    observer?.ticked?.(now);
    this.pingHeartbeat(now);
  }

  /** Next slots come from each sync's last recorded start, so a restart resumes the schedule. */
  private async initialise(): Promise<void> {
    if (this.initialised) return;
    const now = this.options.clock.now();
    for (const name of this.schedules.keys()) {
      const last = (await this.options.store.readHealth(name))?.lastStartedAt;
      // Never run: run now, so a broken credential or query shows up at deployment, not at the first slot.
      if (!last) {
        this.nextDue.set(name, now);
        continue;
      }
      const lastMs = this.notAfter(now, Date.parse(last), `the last start of ${name} (${last})`);
      this.setNextSlot(name, (schedule) => schedule.nextSlotAfter(lastMs, lastMs));
    }
    // Only now: a store that failed half-way is read again by the next tick rather than leave syncs unscheduled.
    this.initialised = true;
  }

  /**
   * A recorded time later than now means the clock went back (an NTP step, a snapshot copied from a
   * machine that was ahead): slots computed from it would hold the sync back until the clock caught up.
   */
  private notAfter(now: number, at: number, what: string): number {
    if (at <= now) return at;
    this.options.observer?.clockWentBack?.({ what, at, now });
    return now;
  }

  /** Since the last tick the clock went back: what was set from the later time counts from now instead. */
  private clockWentBack(now: number): void {
    this.notAfter(now, this.lastTickAt!, 'the previous tick');
    for (const [name, due] of this.nextDue) this.setNextSlot(name, (schedule) => Math.min(due, schedule.nextSlotAfter(now, now)));
    for (const [name, since] of this.runningSince) this.runningSince.set(name, Math.min(since, now));
    this.lastEvaluatedAt = Math.min(this.lastEvaluatedAt, now);
    this.lastPrunedAt = Math.min(this.lastPrunedAt, now);
    this.lastPingAt = Math.min(this.lastPingAt, now);
  }

  /**
   * Sets a sync's next slot. When none can be computed (a cron no date matches) the sync is taken off
   * the schedule, said once and alerted on, rather than fail every tick: left due, it would be retried
   * in a tight loop and hold back every sync queued behind it.
   */
  private setNextSlot(name: string, slot: (schedule: SyncSchedule) => number): boolean {
    try {
      this.nextDue.set(name, slot(this.schedules.get(name)!));
      return true;
    } catch (error) {
      this.unschedule(name, error);
      return false;
    }
  }

  private unschedule(name: string, error: unknown): void {
    this.nextDue.delete(name);
    if (this.unschedulable.has(name)) return;
    const file = this.options.syncs.find((s) => s.name === name)?.file ?? 'syncs/';
    const why = `cannot compute when to run it next (${describeError(error)}), so \`ebb schedule\` no longer runs it: fix its \`schedule\` in ${file}, then restart \`ebb schedule\``;
    this.unschedulable.set(name, why);
    // Raise the alert at the next tick rather than up to `evaluateEvery` later.
    this.lastEvaluatedAt = -Infinity;
    this.options.observer?.failed?.(`schedule of ${name}`, new EbbError('SCHEDULE_FAILED', `${name}: ${why}`, { cause: error }));
  }

  private dispatch(): void {
    const busy = (name: string) => this.running.has(name) || this.queue.some((q) => q.sync.name === name);
    while (!this.stopping && this.running.size < this.options.concurrency) {
      const index = this.queue.findIndex((q) => q.sync.dependsOn.every((dep) => dep === q.sync.name || !busy(dep)));
      if (index < 0) return;
      const [next] = this.queue.splice(index, 1);
      this.start(next!);
    }
  }

  private start({ sync, dueAt }: QueuedRun): void {
    const { clock, observer } = this.options;
    // This run is due either way; a schedule without a next slot only takes the sync off the schedule after it.
    this.setNextSlot(sync.name, (schedule) => schedule.nextSlotAfter(dueAt, clock.now()));
    this.runningSince.set(sync.name, clock.now());
    observer?.cycleStarted?.(sync.name, dueAt);
    const task = (async () => {
      try {
        const report = await this.options.runCycle(sync, { signal: this.stopController.signal });
        observer?.cycleFinished?.(report);
        await this.options.alertOn(sync, report);
      } catch (error) {
        observer?.failed?.(`run of ${sync.name}`, error);
      }
    })().finally(() => {
      this.running.delete(sync.name);
      this.runningSince.delete(sync.name);
      this.dispatch();
    });
    this.running.set(sync.name, task);
  }

  /** The timer half of the alert rules: catches syncs that stopped running or fell behind quietly. */
  private async evaluateAll(now: number): Promise<void> {
    const { store, alerts, observer } = this.options;
    const findings: Finding[] = [];
    for (const sync of this.options.syncs) {
      const pending = await store.pendingSummary(sync.name);
      const health = await store.readHealth(sync.name);
      observer?.stateEvaluated?.(sync, { pending, health, now });
      const runningSince = this.runningSince.get(sync.name);
      // A schedule without a next slot must not keep the other syncs' alerts from being raised or resolved.
      const judged = judgeState(sync, { pending, health, now, neverRunSince: this.startedAt, ...(runningSince !== undefined ? { runningSince } : {}) });
      if (judged.scheduleError !== undefined) this.unschedule(sync.name, judged.scheduleError);
      const unschedulable = this.unschedulable.get(sync.name);
      if (unschedulable === undefined) findings.push(...judged.findings);
      else findings.push(...judged.findings.filter((f) => f.rule !== 'not-running'), { sync: sync.name, rule: 'not-running', severity: 'critical', message: unschedulable });
    }
    await alerts.observe(findings);
    await alerts.deliverOutbox();
  }

  private pingHeartbeat(now: number): void {
    const { heartbeat, heartbeatEveryMs = 60_000 } = this.options;
    if (!heartbeat || this.pinging || now - this.lastPingAt < heartbeatEveryMs) return;
    this.lastPingAt = now;
    this.pinging = heartbeat.ping().finally(() => {
      this.pinging = null;
    });
  }

  private msUntilNextWake(): number {
    const now = this.options.clock.now();
    let wait = this.options.tickMs;
    for (const [name, due] of this.nextDue) {
      // Running or queued syncs wait for a run to finish, which dispatches them: no tick needed.
      if (this.running.has(name) || this.queue.some((q) => q.sync.name === name)) continue;
      wait = Math.min(wait, Math.max(0, due - now));
    }
    return Math.max(10, wait);
  }
}
