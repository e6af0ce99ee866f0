import type { Logger } from 'pino';
import { resolveSecrets } from '../../config/secrets.ts';
import type { AlertChannelConfig } from '../../core/sync.ts';
import type { AlertChannel } from '../notification.ts';
import { DEFAULT_DELIVERY_RETRY, type DeliveryRetryPolicy } from './http-post.ts';
import { logChannel } from './log.ts';
import { slackChannel } from './slack.ts';
import { webhookChannel } from './webhook.ts';

export interface ChannelContext {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  retry?: DeliveryRetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Opens the configured channels, resolving their `env()` secrets now: a missing variable stops
 * `ebb schedule` at start-up (MissingSecretsError) rather than when the first alert needs it.
 */
export function buildAlertChannels(configs: readonly AlertChannelConfig[], context: ChannelContext): AlertChannel[] {
  const retry = context.retry ?? DEFAULT_DELIVERY_RETRY;
  const sleep = context.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return configs.map((config) => {
    switch (config.kind) {
      case 'log':
        return logChannel(config.name, context.logger);
      case 'slack': {
        const { url } = resolveSecrets({ url: config.url }, context.env) as { url: string };
        return slackChannel({ name: config.name, url, retry, sleep });
      }
      case 'webhook': {
        const { url, secret } = resolveSecrets({ url: config.url, secret: config.secret }, context.env) as { url: string; secret: string };
        return webhookChannel({ name: config.name, url, secret, headers: config.headers, timeoutMs: config.timeoutMs, retry, sleep });
      }
    }
  });
}
