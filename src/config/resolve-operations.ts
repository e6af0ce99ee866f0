import { resolve } from 'node:path';
import type { AlertChannelConfig, AlertSettings, LoggingSettings, RetentionSettings, SchedulerSettings } from '../core/sync.ts';
import { configSchema, type ParsedConfig } from './config-schema.ts';

export interface OperationsSettings {
  scheduler: SchedulerSettings;
  alerts: AlertSettings;
  retention: RetentionSettings;
  logging: LoggingSettings;
}

/** The parsed `scheduler`, `alerts`, `retention` and `logging` sections as the engine's plain settings. */
export function resolveOperations(parsed: ParsedConfig, rootDir: string): OperationsSettings {
  const s = parsed.scheduler;
  const scheduler: SchedulerSettings = {
    concurrency: s.concurrency,
    metricsPort: s.metricsPort,
    metricsHost: s.metricsHost,
    heartbeatEveryMs: s.heartbeatEvery,
    tickMs: s.tick,
    evaluateEveryMs: s.evaluateEvery,
    ...(s.heartbeatUrl !== undefined ? { heartbeatUrl: s.heartbeatUrl } : {}),
  };
  const channels = parsed.alerts.channels.map((channel): AlertChannelConfig => {
    const name = channel.name ?? channel.kind;
    switch (channel.kind) {
      case 'slack':
        return { kind: 'slack', name, url: channel.url };
      case 'webhook':
        return { kind: 'webhook', name, url: channel.url, secret: channel.secret, headers: channel.headers, timeoutMs: channel.timeout };
      case 'log':
        return { kind: 'log', name };
    }
  });
  const logging: LoggingSettings = { level: parsed.logging.level, ...(parsed.logging.file ? { file: resolve(rootDir, parsed.logging.file) } : {}) };
  return { scheduler, alerts: { channels }, retention: { days: parsed.retention.days }, logging };
}

/** What a config without `scheduler`, `alerts`, `retention` or `logging` gets. */
export const DEFAULT_OPERATIONS: OperationsSettings = resolveOperations(configSchema.parse({ connections: {} }), '.');
