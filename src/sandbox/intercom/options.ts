import type { SandboxListenOptions } from '../sandbox.ts';

export type AttributeModel = 'contact' | 'company';
export type AttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime';

/** A custom data attribute: Intercom refuses custom attribute keys that are not declared first. */
export interface CustomAttributeDefinition {
  name: string;
  model: AttributeModel;
  data_type: AttributeType;
}

export interface IntercomSandboxOptions extends SandboxListenOptions {
  /** The Bearer token the sandbox accepts (default `ic-sandbox-token`). */
  token?: string;
  /**
   * Requests allowed per rate window. Intercom's default app limit is 10,000/min spread over 10 s
   * windows, about 1,666 per 10 s (the default).
   */
  requestsPer10s?: number;
  /** Length of the rate window; tests shrink it (e.g. 1,000 ms), and `requestsPer10s` then applies per window. */
  windowMs?: number;
  /** Send `Retry-After` (seconds) on 429s as well as `X-RateLimit-Reset` (off by default, like Intercom). */
  retryAfterOn429?: boolean;
  /** Custom data attributes that exist at start-up (default: contact `plan` string, `lifetime_value` float; company `tier` string). */
  customAttributes?: CustomAttributeDefinition[];
  /** New contacts stay invisible to `POST /contacts/search` for this long (Intercom's search is eventually consistent). */
  searchLagMs?: number;
}

export const DEFAULT_SANDBOX_TOKEN = 'ic-sandbox-token';
export const DEFAULT_REQUESTS_PER_10S = 1_666;
export const DEFAULT_WINDOW_MS = 10_000;

export const DEFAULT_CUSTOM_ATTRIBUTES: CustomAttributeDefinition[] = [
  { name: 'plan', model: 'contact', data_type: 'string' },
  { name: 'lifetime_value', model: 'contact', data_type: 'float' },
  { name: 'tier', model: 'company', data_type: 'string' },
];
