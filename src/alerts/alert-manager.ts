import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { describeError } from '../core/errors.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { Clock } from '../engine/clock.ts';
import type { AlertState, OperationsStore } from '../snapshot/store.ts';
import { AlertDeliveryError } from './channels/http-post.ts';
import { notificationOf, type AlertChannel } from './notification.ts';
import { unconfiguredFindings, type Finding } from './rules.ts';

/** How long settled() waits for deliveries by default: a stop must not wait on a channel that never answers. */
export const DEFAULT_SETTLE_MS = 10_000;

export interface AlertManagerOptions {
  store: OperationsStore;
  channels: AlertChannel[];
  clock: Clock;
  logger: Logger;
  /**
   * The configured syncs. Recorded alerts they can no longer raise (a sync renamed or removed, an SLA or
   * a schedule removed) are resolved when the manager first reads the store: nothing would judge them again.
   */
  syncs?: readonly ResolvedSync[];
  /** How long settled() waits for deliveries before leaving them to the outbox (DEFAULT_SETTLE_MS). */
  settleWithinMs?: number;
  /**
   * Told of every recorded state when the manager first reads the store (so gauges exist from the
   * start, also for an alert firing since before a restart), then of every state this process changes.
   */
  onChange?: (state: AlertState) => void;
}

/** One channel's deliveries, in order; each channel has its own, so a channel that is down delays only itself. */
interface Lane {
  channel: AlertChannel;
  /** Transition ids waiting for this channel. */
  waiting: string[];
  current: string | null;
  running: Promise<void> | null;
}

const keyOf = (s: { sync: string; rule: string }) => `${s.sync}\u0000${s.rule}`;

/**
 * Turns findings into at most one notification per change of state per sync and rule. The change is
 * recorded first (compare-and-set, so of two processes only one records it), then delivered from that
 * record, an outbox: a channel that is down is retried later with the same transition id, and a
 * restart neither re-sends what was delivered nor forgets what was not.
 */
export class AlertManager {
  private readonly lanes: Lane[];
  private started: Promise<void> | null = null;

  constructor(private readonly options: AlertManagerOptions) {
    this.lanes = options.channels.map((channel) => ({ channel, waiting: [], current: null, running: null }));
  }

  /** Records the findings that change a rule's state and starts notifying; returns those changes. */
  async observe(findings: readonly Finding[]): Promise<AlertState[]> {
    await this.start();
    if (findings.length === 0) return [];
    const changed = await this.record(findings, await this.options.store.listAlertStates());
    this.enqueue(changed);
    return changed;
  }

  /** Retries every recorded change some channel has not accepted yet (after a restart or an outage). */
  async deliverOutbox(): Promise<void> {
    await this.start();
    this.enqueue(await this.options.store.listAlertStates());
  }

  /**
   * Resolves when every notification queued so far was delivered or given up on (for now), or after
   * `withinMs`: what is still being delivered then stays in the outbox, sent at the next evaluation or
   * start (with the same id, so a receiver that got it meanwhile dedupes it).
   */
  async settled(withinMs: number = this.options.settleWithinMs ?? DEFAULT_SETTLE_MS): Promise<void> {
    const idle = (async () => {
      for (let running = this.running(); running.length > 0; running = this.running()) await Promise.all(running);
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([idle.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), withinMs)))]);
    clearTimeout(timer);
    if (!late) return;
    const left = this.lanes.filter((l) => l.current !== null || l.waiting.length > 0);
    this.options.logger.warn(
      { event: 'alert-delivery-deferred', channels: left.map((l) => l.channel.name), notifications: left.reduce((n, l) => n + l.waiting.length + (l.current ? 1 : 0), 0) },
      `alert channel(s) ${left.map((l) => `"${l.channel.name}"`).join(', ')} still delivering after ${withinMs} ms: not waiting longer; what is undelivered stays in the outbox and is sent at the next evaluation or start`,
    );
  }

  /** Once, at the first use: fills the metrics from the recorded states and resolves the unconfigured ones. */
  private start(): Promise<void> {
    this.started ??= (async () => {
      const { store, syncs, onChange } = this.options;
      const states = await store.listAlertStates();
      for (const state of states) onChange?.(state);
      if (syncs) this.enqueue(await this.record(unconfiguredFindings(syncs, states), states));
    })().catch((error: unknown) => {
      this.started = null; // a store that failed once is read again next time
      throw error;
    });
    return this.started;
  }

  private async record(findings: readonly Finding[], states: readonly AlertState[]): Promise<AlertState[]> {
    const { store, clock, channels, logger } = this.options;
    const current = new Map(states.map((s) => [keyOf(s), s]));
    const changed: AlertState[] = [];
    for (const finding of findings) {
      const state = current.get(keyOf(finding));
      const severity = state?.severity ?? 'ok';
      if (severity === finding.severity) continue;
      const next: AlertState = {
        sync: finding.sync,
        rule: finding.rule,
        severity: finding.severity,
        previousSeverity: severity,
        message: finding.message,
        changedAt: new Date(clock.now()).toISOString(),
        transitionId: randomUUID(),
        undelivered: channels.map((c) => c.name),
      };
      if (!(await store.changeAlertState(next, state?.transitionId ?? null))) {
        logger.debug({ event: 'alert-race', sync: finding.sync, rule: finding.rule }, 'another process recorded this alert change first');
        continue;
      }
      changed.push(next);
      this.options.onChange?.(next);
    }
    return changed;
  }

  private running(): Promise<void>[] {
    return this.lanes.flatMap((l) => (l.running ? [l.running] : []));
  }

  private enqueue(states: readonly AlertState[]): void {
    for (const lane of this.lanes) {
      for (const state of states) {
        const id = state.transitionId;
        if (state.undelivered.includes(lane.channel.name) && lane.current !== id && !lane.waiting.includes(id)) lane.waiting.push(id);
      }
      this.wake(lane);
    }
  }

  private wake(lane: Lane): void {
    if (lane.running || lane.waiting.length === 0) return;
    lane.running = this.drain(lane).finally(() => {
      lane.running = null;
      this.wake(lane); // queued while the drain was finishing
    });
  }

  private async drain(lane: Lane): Promise<void> {
    for (let id = lane.waiting.shift(); id !== undefined; id = lane.waiting.shift()) {
      lane.current = id;
      const down = await this.deliver(lane.channel, id);
      lane.current = null;
      if (down && lane.waiting.length > 0) {
        // The rest would each wait out the same timeouts: they stay in the outbox for the next evaluation.
        const left = lane.waiting.splice(0);
        this.options.logger.warn({ event: 'alert-channel-down', channel: lane.channel.name, waiting: left.length }, `alert channel "${lane.channel.name}" is down: ${left.length} more notification(s) wait in the outbox for the next evaluation`);
      }
    }
  }

  /** Sends one recorded change to one channel; true when the channel is down (no usable answer). */
  private async deliver(channel: AlertChannel, transitionId: string): Promise<boolean> {
    const { store, logger } = this.options;
    let state: AlertState | undefined;
    try {
      // Re-read: the rule may have changed state again, or another pass delivered it meanwhile.
      state = (await store.listAlertStates()).find((s) => s.transitionId === transitionId);
      if (!state || !state.undelivered.includes(channel.name)) return false;
      await channel.send(notificationOf(state));
      await store.markAlertDelivered(state.sync, state.rule, state.transitionId, channel.name);
      return false;
    } catch (error) {
      logger.error({ event: 'alert-delivery-failed', channel: channel.name, sync: state?.sync, rule: state?.rule, alertId: transitionId, error: describeError(error) }, `could not deliver an alert to channel "${channel.name}"; it is retried at the next evaluation`);
      return error instanceof AlertDeliveryError && error.channelDown;
    }
  }
}
