import type { AlertSeverity, AlertState } from '../snapshot/store.ts';

/** One change of state of one rule of one sync, as sent to every channel. */
export interface AlertNotification {
  /** The transition id: the idempotency key, the same on every retry and from every process. */
  id: string;
  status: 'firing' | 'resolved';
  severity: AlertSeverity;
  previousSeverity: AlertSeverity;
  sync: string;
  rule: string;
  message: string;
  changedAt: string;
}

/** A place alerts go. `send` retries by itself and throws only once it has given up. */
export interface AlertChannel {
  name: string;
  kind: string;
  send(notification: AlertNotification): Promise<void>;
}

export function notificationOf(state: AlertState): AlertNotification {
  return {
    id: state.transitionId,
    status: state.severity === 'ok' ? 'resolved' : 'firing',
    severity: state.severity,
    previousSeverity: state.previousSeverity,
    sync: state.sync,
    rule: state.rule,
    message: state.message,
    changedAt: state.changedAt,
  };
}

/** One line for chat and logs: `[CRITICAL] contacts · apply-failed: …` / `[RESOLVED] … (was critical)`. */
export function notificationText(n: AlertNotification): string {
  if (n.status === 'resolved') return `[RESOLVED] ${n.sync} · ${n.rule} (was ${n.previousSeverity}): ${n.message}`;
  const escalated = n.previousSeverity === 'ok' ? '' : ` (was ${n.previousSeverity})`;
  return `[${n.severity.toUpperCase()}] ${n.sync} · ${n.rule}${escalated}: ${n.message}`;
}
