import { createHash } from 'node:crypto';
import { TerminalError } from '../../core/errors.ts';
import { isSecretRef } from '../../core/sync.ts';

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

export interface HubspotOptions {
  accessToken: string;
  /** Without trailing slash: the client builds `${basePath}/crm/v3/...` and a trailing slash gives `//crm`. */
  baseUrl: string;
  /** The account's burst limit per 10 s: 100 (Free/Starter), 190 (Pro/Enterprise), 250 (capacity pack). */
  requestsPer10s: number;
  maxConcurrent: number;
  /** The client has no timeout of its own; a call that takes longer is reported as transient. */
  timeoutMs: number;
}

const KNOWN = new Set(['accessToken', 'baseUrl', 'requestsPer10s', 'maxConcurrent', 'timeoutMs', 'kind']);

function positiveInteger(options: Record<string, unknown>, name: string, problems: string[]): void {
  const value = options[name];
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    problems.push(`hubspot: "${name}" must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

/**
 * Problems with a connection's options. Config validation passes them with secret references
 * (`env('NAME')`) still unresolved, so a reference counts as a value for accessToken and baseUrl.
 */
export function hubspotOptionProblems(options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const token = options.accessToken;
  if (!isSecretRef(token) && (typeof token !== 'string' || token.trim() === '')) {
    problems.push('hubspot: "accessToken" is required: a private app access token (e.g. accessToken: { $env: "HUBSPOT_TOKEN" })');
  }
  const baseUrl = options.baseUrl;
  if (baseUrl !== undefined && !isSecretRef(baseUrl)) {
    if (typeof baseUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(baseUrl)) {
      problems.push(`hubspot: "baseUrl" must be an http(s) URL such as ${DEFAULT_BASE_URL}, got ${JSON.stringify(baseUrl)}`);
    }
  }
  positiveInteger(options, 'requestsPer10s', problems);
  positiveInteger(options, 'maxConcurrent', problems);
  positiveInteger(options, 'timeoutMs', problems);
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) problems.push(`hubspot: unknown option "${name}"; known options: accessToken, baseUrl, requestsPer10s, maxConcurrent, timeoutMs`);
  }
  return problems;
}

export function parseHubspotOptions(options: Record<string, unknown>): HubspotOptions {
  const problems = hubspotOptionProblems(options);
  if (problems.length > 0) throw new TerminalError(problems.join('\n'), { code: 'INVALID_OPTIONS' });
  return {
    accessToken: options.accessToken as string,
    baseUrl: ((options.baseUrl as string | undefined) ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    requestsPer10s: (options.requestsPer10s as number | undefined) ?? 100,
    maxConcurrent: (options.maxConcurrent as number | undefined) ?? 5,
    timeoutMs: (options.timeoutMs as number | undefined) ?? 60_000,
  };
}

/** Identifies the HubSpot account without revealing the token: every sync writing there shares one limiter. */
export function hubspotAccountKey(options: HubspotOptions): string {
  const tokenHash = createHash('sha256').update(options.accessToken).digest('hex').slice(0, 12);
  return `hubspot:${options.baseUrl}:${tokenHash}`;
}
