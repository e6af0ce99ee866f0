/** Connection options of the Salesforce connector, as they arrive from `ebb.config.ts` (secrets resolved). */
export interface SalesforceOptions {
  /** The org's API host, e.g. https://acme.my.salesforce.com; overrides the instance a token response names. */
  instanceUrl?: string;
  /** Alias of `instanceUrl`, like every connector's `baseUrl` override (a sandbox, a proxy). */
  baseUrl?: string;
  /** REST API version; collections upsert needs at least 46.0. */
  apiVersion?: string;
  /** A session or OAuth access token. Alone, it cannot be refreshed when it expires. */
  accessToken?: string;
  /** OAuth refresh-token flow (a connected app). */
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Token endpoint host and JWT audience: https://login.salesforce.com, https://test.salesforce.com or a My Domain. */
  loginUrl?: string;
  /** JWT bearer flow: the user the connected app acts as, and its private key (a path relative to the project root). */
  username?: string;
  privateKeyPath?: string;
  privateKeyPassphrase?: string;
  /** Share of the org's daily API allocation this connection may use before stopping (default 80). */
  dailyBudgetPercent?: number;
  /** Changes per run and operation from which the engine sends bulk-sized batches (default 10,000). */
  bulkThreshold?: number;
  /** Pacing ceiling (default 25 requests per second) and calls in flight (default 10). */
  requestsPerSecond?: number;
  maxConcurrent?: number;
  /** Abort one HTTP call after this long (default 120 s); the engine retries it as transient. */
  requestTimeoutMs?: number;
  /** Bulk job polling: first interval (default 1 s), backoff cap (10 s) and overall timeout (10 min). */
  bulkPollIntervalMs?: number;
  bulkPollMaxIntervalMs?: number;
  bulkPollTimeoutMs?: number;
  /** When the daily budget is spent, look at /limits again after this long to see whether usage rolled off (default 60 s). */
  budgetRecheckMs?: number;
  /** Standard objects to allow beyond the built-in list (custom `__c` objects are always allowed). */
  objects?: string[];
  /** HTTP proxy for every call of this connection. */
  httpProxy?: string;
}

export type AuthMode =
  | { kind: 'token'; accessToken: string }
  | { kind: 'refresh'; clientId: string; clientSecret?: string; refreshToken: string; loginUrl: string; accessToken?: string }
  | { kind: 'jwt'; clientId: string; username: string; privateKeyPath: string; privateKeyPassphrase?: string; loginUrl: string; accessToken?: string };

export const DEFAULT_API_VERSION = '62.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

export function salesforceOptions(options: Record<string, unknown>): SalesforceOptions {
  return options as SalesforceOptions;
}

export function instanceUrlOf(o: SalesforceOptions): string | undefined {
  return (o.instanceUrl ?? o.baseUrl)?.replace(/\/+$/, '');
}

/** Which login flow the options describe; null when none is complete. JWT wins over refresh, refresh over a bare token. */
export function authMode(o: SalesforceOptions): AuthMode | null {
  const loginUrl = (o.loginUrl ?? DEFAULT_LOGIN_URL).replace(/\/+$/, '');
  const initial = o.accessToken ? { accessToken: o.accessToken } : {};
  if (o.clientId && o.username && o.privateKeyPath) {
    const passphrase = o.privateKeyPassphrase ? { privateKeyPassphrase: o.privateKeyPassphrase } : {};
    return { kind: 'jwt', clientId: o.clientId, username: o.username, privateKeyPath: o.privateKeyPath, loginUrl, ...passphrase, ...initial };
  }
  if (o.clientId && o.refreshToken) {
    const secret = o.clientSecret ? { clientSecret: o.clientSecret } : {};
    return { kind: 'refresh', clientId: o.clientId, refreshToken: o.refreshToken, loginUrl, ...secret, ...initial };
  }
  if (o.accessToken) return { kind: 'token', accessToken: o.accessToken };
  return null;
}

const NUMBERS: Array<[keyof SalesforceOptions, number, number]> = [
  ['dailyBudgetPercent', 1, 100],
  ['bulkThreshold', 1, Number.MAX_SAFE_INTEGER],
  ['requestsPerSecond', 1, 10_000],
  ['maxConcurrent', 1, 25],
  ['requestTimeoutMs', 1, 600_000],
  ['bulkPollIntervalMs', 1, 600_000],
  ['bulkPollMaxIntervalMs', 1, 600_000],
  ['bulkPollTimeoutMs', 1, 24 * 3_600_000],
  ['budgetRecheckMs', 0, 24 * 3_600_000],
];

/** Config validation passes unresolved `env()` secrets as `<env NAME>`: present, value unknown yet. */
const SECRET_PLACEHOLDER = /^<env [^>]+>$/;

export function validateSalesforceOptions(options: Record<string, unknown>): string[] {
  const o = salesforceOptions(options);
  const problems: string[] = [];
  for (const name of ['instanceUrl', 'baseUrl', 'loginUrl', 'httpProxy'] as const) {
    const value = o[name];
    if (value !== undefined && (typeof value !== 'string' || !(/^https?:\/\/[^/]/.test(value) || SECRET_PLACEHOLDER.test(value)))) {
      problems.push(`${name} must be an http(s) URL, e.g. https://acme.my.salesforce.com`);
    }
  }
  const mode = authMode(o);
  if (!mode) {
    problems.push(
      'no complete Salesforce login: give accessToken + instanceUrl, or clientId + refreshToken (+ clientSecret) for the OAuth refresh flow, or clientId + username + privateKeyPath for the JWT bearer flow',
    );
  } else if (mode.kind === 'token' && !instanceUrlOf(o)) {
    problems.push('accessToken needs instanceUrl (the org URL the token belongs to, e.g. https://acme.my.salesforce.com)');
  }
  if (o.apiVersion !== undefined) {
    if (typeof o.apiVersion !== 'string' || !/^\d{2,3}\.0$/.test(o.apiVersion)) problems.push(`apiVersion must look like "${DEFAULT_API_VERSION}"`);
    else if (Number(o.apiVersion) < 46) problems.push('apiVersion must be 46.0 or later: sObject Collections upsert needs it');
  }
  for (const [name, min, max] of NUMBERS) {
    const value = o[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)) {
      problems.push(`${name} must be a number from ${min} to ${max}`);
    }
  }
  if (o.objects !== undefined && (!Array.isArray(o.objects) || !o.objects.every((x) => typeof x === 'string'))) {
    problems.push('objects must be a list of sObject API names, e.g. ["Opportunity"]');
  }
  return problems;
}
