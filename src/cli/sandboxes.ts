import type { RunningSandbox } from '../sandbox/sandbox.ts';
import { startHubspotSandbox } from '../sandbox/hubspot/index.ts';
import { startIntercomSandbox } from '../sandbox/intercom/index.ts';
import { startMemorySandbox } from '../sandbox/memory/index.ts';
import { startSalesforceSandbox } from '../sandbox/salesforce/index.ts';
import { startWebhookReceiver } from '../sandbox/webhook/index.ts';
import { startZendeskSandbox } from '../sandbox/zendesk/index.ts';

/** Flags of `ebb sandbox`, as given (strings), for each sandbox to read what applies to it. */
export interface SandboxFlags {
  port: number;
  requestsPerWindow?: string;
  windowMs?: string;
  dailyLimit?: string;
  /** HMAC key of the webhook receiver (`--secret`, else EBB_WEBHOOK_SECRET). */
  secret?: string;
}

/**
 * The credentials the sandboxes accept when the environment names none: the values a config's
 * `env('…')` references resolve to in the demo and in `ebb sandbox` rehearsals.
 */
export const SANDBOX_SECRETS = {
  HUBSPOT_TOKEN: 'sandbox-hubspot-token',
  SALESFORCE_ACCESS_TOKEN: 'sandbox-salesforce-token',
  ZENDESK_API_TOKEN: 'sandbox-zendesk-token',
  INTERCOM_TOKEN: 'sandbox-intercom-token',
} as const;

const secret = (name: keyof typeof SANDBOX_SECRETS): string => process.env[name] ?? SANDBOX_SECRETS[name];

const num = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** Every local destination `ebb sandbox` can start. */
export const sandboxStarters: Record<string, (flags: SandboxFlags) => Promise<RunningSandbox>> = {
  memory: (f) =>
    startMemorySandbox({
      port: f.port,
      ...(f.requestsPerWindow ? { requestsPerWindow: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
    }),
  hubspot: (f) =>
    startHubspotSandbox({
      port: f.port,
      ...(f.requestsPerWindow ? { requestsPer10s: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
      ...(f.dailyLimit ? { dailyLimit: num(f.dailyLimit)! } : {}),
    }),
  zendesk: (f) =>
    startZendeskSandbox({
      port: f.port,
      email: process.env['ZENDESK_EMAIL'] ?? 'sync@example.com',
      apiToken: secret('ZENDESK_API_TOKEN'),
      ...(f.requestsPerWindow ? { requestsPerMinute: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
    }),
  intercom: (f) =>
    startIntercomSandbox({
      port: f.port,
      token: secret('INTERCOM_TOKEN'),
      ...(f.requestsPerWindow ? { requestsPer10s: num(f.requestsPerWindow)! } : {}),
      ...(f.windowMs ? { windowMs: num(f.windowMs)! } : {}),
    }),
  salesforce: (f) =>
    startSalesforceSandbox({
      port: f.port,
      accessToken: secret('SALESFORCE_ACCESS_TOKEN'),
      ...(f.dailyLimit ? { dailyAllocation: num(f.dailyLimit)! } : {}),
    }),
  webhook: (f) => startWebhookReceiver({ port: f.port, secret: f.secret ?? process.env['EBB_WEBHOOK_SECRET'] ?? 'sandbox-webhook-secret' }),
};
