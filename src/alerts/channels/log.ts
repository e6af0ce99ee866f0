import type { Logger } from 'pino';
import type { AlertChannel } from '../notification.ts';
import { notificationText } from '../notification.ts';

/** Alerts as structured log lines: error when critical, warn when warning, info when resolved. */
export function logChannel(name: string, logger: Logger): AlertChannel {
  return {
    name,
    kind: 'log',
    async send(notification) {
      const level = notification.severity === 'critical' ? 'error' : notification.severity === 'warning' ? 'warn' : 'info';
      logger[level]({ event: 'alert', alert: notification }, notificationText(notification));
    },
  };
}
