import { TerminalError } from '../../core/errors.ts';
import { isSecretRef } from '../../core/sync.ts';

export type ContactRole = 'user' | 'lead';

/** Connection options of an `intercom` connection, after secrets are resolved. */
export interface IntercomOptions {
  /** Access token (secret): a private app's token or an OAuth token. */
  accessToken: string;
  /** API host; a regional one (https://api.eu.intercom.io, https://api.au.intercom.io) or a sandbox. */
  baseUrl: string;
  /**
   * Requests per 10 s window. Intercom's app limit is 10,000/min, enforced as about 1,666 per 10 s;
   * 1,600 leaves headroom. Lower it when other apps share the workspace's 25,000/min.
   */
  requestsPer10s: number;
  /**
   * Requests in flight at once. Intercom has no batch endpoint for contacts, so throughput comes from
   * concurrency: a batch runs as single-record requests, this many at a time.
   */
  maxConcurrent: number;
  /** Role of contacts that do not map a `role` field. */
  role: ContactRole;
  /** Per-request timeout; a timed-out request is a transient failure the engine retries. */
  timeoutSeconds: number;
}

export const DEFAULTS = {
  baseUrl: 'https://api.intercom.io',
  requestsPer10s: 1_600,
  maxConcurrent: 10,
  role: 'user' as ContactRole,
  timeoutSeconds: 20,
};

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * Human-readable problems with the options; empty when they are usable. Config validation passes
 * them with secret references (`env('NAME')`) unresolved, so a reference counts as a value.
 */
export function optionProblems(options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { accessToken, baseUrl, requestsPer10s, maxConcurrent, role, timeoutSeconds } = options;
  if (!isSecretRef(accessToken) && (typeof accessToken !== 'string' || accessToken.trim() === '')) {
    problems.push('accessToken is required: set it to an Intercom access token, e.g. accessToken: env("INTERCOM_ACCESS_TOKEN")');
  }
  if (baseUrl !== undefined && !isSecretRef(baseUrl)) {
    let valid = false;
    try {
      valid = typeof baseUrl === 'string' && ['http:', 'https:'].includes(new URL(baseUrl).protocol);
    } catch {
      valid = false;
    }
    if (!valid) problems.push(`baseUrl must be an http(s) URL such as ${DEFAULTS.baseUrl}, got ${JSON.stringify(baseUrl)}`);
  }
  if (requestsPer10s !== undefined && !isPositiveInteger(requestsPer10s)) {
    problems.push(`requestsPer10s must be a positive integer (Intercom's default app limit is about 1,666), got ${JSON.stringify(requestsPer10s)}`);
  }
  if (maxConcurrent !== undefined && !(isPositiveInteger(maxConcurrent) && maxConcurrent <= 100)) {
    problems.push(`maxConcurrent must be an integer from 1 to 100, got ${JSON.stringify(maxConcurrent)}`);
  }
  if (role !== undefined && role !== 'user' && role !== 'lead') {
    problems.push(`role must be "user" or "lead", got ${JSON.stringify(role)}`);
  }
  if (timeoutSeconds !== undefined && !(typeof timeoutSeconds === 'number' && timeoutSeconds > 0)) {
    problems.push(`timeoutSeconds must be a positive number, got ${JSON.stringify(timeoutSeconds)}`);
  }
  return problems;
}

/** The options with defaults filled in; throws TerminalError listing every problem. */
export function resolveOptions(options: Record<string, unknown>): IntercomOptions {
  const problems = optionProblems(options);
  for (const name of ['accessToken', 'baseUrl']) {
    const ref = options[name];
    if (isSecretRef(ref)) problems.push(`${name} is still the unresolved secret reference $env ${ref.$env}: resolve secrets before opening the connection`);
  }
  if (problems.length > 0) throw new TerminalError(`Invalid Intercom connection options: ${problems.join('; ')}`, { code: 'INVALID_OPTIONS' });
  return {
    accessToken: options.accessToken as string,
    baseUrl: ((options.baseUrl as string | undefined) ?? DEFAULTS.baseUrl).replace(/\/+$/, ''),
    requestsPer10s: (options.requestsPer10s as number | undefined) ?? DEFAULTS.requestsPer10s,
    maxConcurrent: (options.maxConcurrent as number | undefined) ?? DEFAULTS.maxConcurrent,
    role: (options.role as ContactRole | undefined) ?? DEFAULTS.role,
    timeoutSeconds: (options.timeoutSeconds as number | undefined) ?? DEFAULTS.timeoutSeconds,
  };
}
