import { TerminalError } from '../../core/errors.ts';

/** Connection options of a `zendesk` connection, after secrets are resolved. */
export interface ZendeskOptions {
  /** API root, e.g. `https://acme.zendesk.com/api/v2` (what node-zendesk calls `endpointUri`). */
  apiBase: string;
  /** The agent's email; API-token auth sends `email/token:apiToken`. */
  email: string;
  apiToken: string;
  /** The account's per-minute limit (Team 200, Growth/Professional 400, Enterprise 700, High Volume 2500). */
  requestsPerMinute: number;
  /** Bulk jobs allowed in flight at once (Zendesk queues about 30 per account). */
  maxOutstandingJobs: number;
  /** First wait before polling a job; later waits grow ×1.5 up to `maxPollIntervalMs`. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** Total waiting for one job before giving up with a TransientError (the batch is then re-sent). */
  jobTimeoutMs: number;
}

/** Zendesk's documented ceiling for queued-or-running background jobs per account. */
export const ZENDESK_JOB_CAP = 30;

const DEFAULTS = { requestsPerMinute: 200, maxOutstandingJobs: 25, pollIntervalMs: 500, maxPollIntervalMs: 5000, jobTimeoutMs: 300_000 };

const positiveInt = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value > 0;
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function zendeskOptionProblems(options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { subdomain, baseUrl, email, apiToken } = options;
  if (!nonEmpty(subdomain) && !nonEmpty(baseUrl)) problems.push('Set `subdomain` (e.g. "acme" for acme.zendesk.com) or `baseUrl` (e.g. "http://127.0.0.1:4030" for the sandbox).');
  if (nonEmpty(subdomain) && !/^[a-z0-9][a-z0-9-]*$/i.test(subdomain)) problems.push(`\`subdomain\` "${subdomain}" should be just the account name, e.g. "acme", not a URL; use \`baseUrl\` for a full URL.`);
  if (nonEmpty(baseUrl)) {
    try {
      const url = new URL(baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`\`baseUrl\` must be an http(s) URL, got "${baseUrl}".`);
    } catch {
      problems.push(`\`baseUrl\` "${baseUrl}" is not a URL; use e.g. "https://acme.zendesk.com".`);
    }
  }
  if (!nonEmpty(email)) problems.push('Set `email` to the Zendesk agent the API token belongs to.');
  if (!nonEmpty(apiToken)) problems.push('Set `apiToken` (Admin Center → Apps and integrations → Zendesk API), e.g. `apiToken: env("ZENDESK_API_TOKEN")`.');
  for (const name of ['requestsPerMinute', 'maxOutstandingJobs', 'pollIntervalMs', 'maxPollIntervalMs', 'jobTimeoutMs'] as const) {
    if (options[name] !== undefined && !positiveInt(options[name])) problems.push(`\`${name}\` must be a positive whole number, got ${JSON.stringify(options[name])}.`);
  }
  if (positiveInt(options.maxOutstandingJobs) && (options.maxOutstandingJobs as number) > ZENDESK_JOB_CAP) {
    problems.push(`\`maxOutstandingJobs\` ${String(options.maxOutstandingJobs)} exceeds Zendesk's cap of about ${ZENDESK_JOB_CAP} queued jobs per account; use ${ZENDESK_JOB_CAP} or less.`);
  }
  return problems;
}

/** The API root for the options: `<baseUrl>/api/v2` (unless baseUrl already ends so), or the subdomain's. */
export function zendeskApiBase(options: Record<string, unknown>): string {
  const base = nonEmpty(options.baseUrl) ? options.baseUrl.trim().replace(/\/+$/, '') : `https://${String(options.subdomain).trim()}.zendesk.com`;
  return base.endsWith('/api/v2') ? base : `${base}/api/v2`;
}

export function parseZendeskOptions(options: Record<string, unknown>): ZendeskOptions {
  const problems = zendeskOptionProblems(options);
  if (problems.length > 0) throw new TerminalError(`Invalid zendesk connection options:\n- ${problems.join('\n- ')}`, { code: 'INVALID_OPTIONS' });
  const pick = (name: keyof typeof DEFAULTS): number => (options[name] as number | undefined) ?? DEFAULTS[name];
  return {
    apiBase: zendeskApiBase(options),
    email: String(options.email).trim(),
    apiToken: String(options.apiToken),
    requestsPerMinute: pick('requestsPerMinute'),
    maxOutstandingJobs: pick('maxOutstandingJobs'),
    pollIntervalMs: pick('pollIntervalMs'),
    maxPollIntervalMs: pick('maxPollIntervalMs'),
    jobTimeoutMs: pick('jobTimeoutMs'),
  };
}
