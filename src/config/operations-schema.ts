import { z } from 'zod';
import { isSecretRef, type SecretRef } from '../core/sync.ts';
import { durationSchema } from './duration.ts';

/**
 * The config's operational sections: `scheduler` (how `ebb schedule` runs), `alerts` (where alerts
 * go), `retention` (how long history is kept) and `logging` (structured logs). Every field has a
 * default, so a config without them still runs a scheduler that logs its alerts.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A value that must come from the environment: `env('NAME')`, never a literal in the config file. */
function secretRef(what: string, example: string) {
  return z.custom<SecretRef>((value) => isSecretRef(value) && ENV_NAME.test(value.$env) && Object.keys(value).length === 1, {
    message: `${what} is a secret: write it as env('${example}') (import { env } from 'ebb') and set ${example} in the environment.`,
  });
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'Use an http(s) URL, e.g. https://hooks.example.com/ebb.' });

export const schedulerSchema = z.strictObject({
  concurrency: z.number().int('Use a whole number of syncs.').min(1, 'Run at least 1 sync at a time.').default(2),
  metricsPort: z.number().int().min(0, 'Use a port between 0 (any free port) and 65535.').max(65535, 'Use a port between 0 (any free port) and 65535.').default(9464),
  metricsHost: z.string().min(1).default('127.0.0.1'),
  /** May embed a token (healthchecks.io style), so env('NAME') is accepted too. */
  heartbeatUrl: z.union([httpUrl, secretRef('heartbeatUrl', 'EBB_HEARTBEAT_URL')]).optional(),
  heartbeatEvery: durationSchema.default(60_000),
  tick: durationSchema.default(5_000),
  evaluateEvery: durationSchema.default(60_000),
});

const channelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'Use letters, digits, `-` and `_` for a channel name.').optional();

const slackChannel = z.strictObject({
  kind: z.literal('slack'),
  name: channelName,
  /** The incoming-webhook URL is the credential itself. */
  url: secretRef("Slack's incoming-webhook URL", 'SLACK_WEBHOOK_URL'),
});

const webhookChannel = z.strictObject({
  kind: z.literal('webhook'),
  name: channelName,
  url: z.union([httpUrl, secretRef('The alert webhook URL', 'EBB_ALERT_WEBHOOK_URL')]),
  /** HMAC-SHA256 key of the `Ebb-Signature` header. */
  secret: secretRef('The alert webhook `secret`', 'EBB_ALERT_WEBHOOK_SECRET'),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: durationSchema.default(10_000),
});

const logChannel = z.strictObject({ kind: z.literal('log'), name: channelName });

export const alertChannelSchema = z.discriminatedUnion('kind', [slackChannel, webhookChannel, logChannel], {
  error: "Each channel needs `kind`: 'slack', 'webhook' or 'log'.",
});

export const alertsSchema = z
  .strictObject({
    /** Without channels, alerts still go to the log. */
    channels: z.array(alertChannelSchema).default([{ kind: 'log' }]),
  })
  .superRefine((alerts, ctx) => {
    const seen = new Set<string>();
    alerts.channels.forEach((channel, index) => {
      const name = channel.name ?? channel.kind;
      if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['channels', index, 'name'], message: `Two channels are named \`${name}\`; give each a unique \`name\` (notifications are tracked per channel).` });
      }
      seen.add(name);
    });
  });

export const retentionSchema = z.strictObject({
  days: z.number().positive('Keep history for a positive number of days, e.g. 30.').default(30),
});

export const loggingSchema = z.strictObject({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** JSON-lines log file, relative to the project root; stderr when absent. */
  file: z.string().min(1).optional(),
});
