import type { AlertChannel, AlertNotification } from '../notification.ts';
import { notificationText } from '../notification.ts';
import { postWithRetry, type DeliveryRetryPolicy } from './http-post.ts';

export interface SlackChannelOptions {
  name: string;
  /** The incoming-webhook URL (a secret: it is never logged or put in errors). */
  url: string;
  retry: DeliveryRetryPolicy;
  sleep(ms: number): Promise<void>;
  timeoutMs?: number;
}

const ICONS: Record<string, string> = { critical: ':rotating_light:', warning: ':warning:', ok: ':white_check_mark:' };

/** A Slack incoming webhook: `{ "text": "…" }`, Slack's mrkdwn. */
export function slackChannel(options: SlackChannelOptions): AlertChannel {
  return {
    name: options.name,
    kind: 'slack',
    async send(notification: AlertNotification) {
      const text = `${ICONS[notification.severity] ?? ''} ${notificationText(notification)}`.trim();
      await postWithRetry({
        url: options.url,
        body: JSON.stringify({ text }),
        headers: () => ({}),
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: options.retry,
        sleep: options.sleep,
        label: `Slack channel "${options.name}"`,
        secretPath: true,
      });
    },
  };
}
