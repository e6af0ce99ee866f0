import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { describeError } from '../core/errors.ts';
import type { Clock } from '../engine/clock.ts';
import type { AlertState, OperationsStore } from '../snapshot/store.ts';
import { notificationOf, type AlertChannel } from './notification.ts';
import type { Finding } from './rules.ts';

export interface AlertManagerOptions {
  store: OperationsStore;
  channels: AlertChannel[];
  clock: Clock;
  logger: Logger;
  /** Told of every state this process changed (metrics). */
  onChange?: (state: AlertState) => void;
}

const keyOf = (s: { sync: string; rule: string }) => `${s.sync}\u0000${s.rule}`;

/**
 * Turns findings into at most one notification per change of state per sync and rule. The change is
 * recorded first (compare-and-set, so of two processes only one records it), then delivered from that
 * record, an outbox: a channel that is down is retried later with the same transition id, and a
 * restart neither re-sends what was delivered nor forgets what was not.
 */
export class AlertManager {
  private queue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(private readonly options: AlertManagerOptions) {}

  /** Records the findings that change a rule's state and starts notifying; returns those changes. */
  async observe(findings: readonly Finding[]): Promise<AlertState[]> {
    if (findings.length === 0) return [];
    const { store, clock, channels, logger } = this.options;
    const current = new Map((await store.listAlertStates()).map((s) => [keyOf(s), s]));
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
    this.enqueue(changed);
    return changed;
  }

  /** Retries every recorded change some channel has not accepted yet (after a restart or an outage). */
  async deliverOutbox(): Promise<void> {
    const names = new Set(this.options.channels.map((c) => c.name));
    const pending = (await this.options.store.listAlertStates()).filter((s) => s.undelivered.some((n) => names.has(n)));
    this.enqueue(pending);
  }

  /** Resolves when every notification queued so far was delivered or given up on (for now). */
  async settled(): Promise<void> {
    let seen: Promise<void> | null = null;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  private enqueue(states: readonly AlertState[]): void {
    const fresh = states.filter((s) => !this.queued.has(s.transitionId));
    if (fresh.length === 0) return;
    for (const s of fresh) this.queued.add(s.transitionId);
    this.queue = this.queue.then(() => this.deliverAll(fresh));
  }

  private async deliverAll(states: readonly AlertState[]): Promise<void> {
    for (const state of states) {
      try {
        await this.deliver(state);
      } finally {
        this.queued.delete(state.transitionId);
      }
    }
  }

  private async deliver(queuedState: AlertState): Promise<void> {
    const { store, channels, logger } = this.options;
    // Re-read: the rule may have changed state again, or another pass delivered it meanwhile.
    const state = (await store.listAlertStates()).find((s) => s.transitionId === queuedState.transitionId);
    if (!state) return;
    const notification = notificationOf(state);
    await Promise.all(
      channels
        .filter((channel) => state.undelivered.includes(channel.name))
        .map(async (channel) => {
          try {
            await channel.send(notification);
            await store.markAlertDelivered(state.sync, state.rule, state.transitionId, channel.name);
          } catch (error) {
            logger.error({ event: 'alert-delivery-failed', channel: channel.name, sync: state.sync, rule: state.rule, alertId: state.transitionId, error: describeError(error) }, `could not deliver an alert to channel "${channel.name}"; it is retried at the next evaluation`);
          }
        }),
    );
  }
}
