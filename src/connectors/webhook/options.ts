import { TerminalError } from '../../core/errors.ts';

export interface WebhookOptions {
  url: string;
  /** HMAC key for `Ebb-Signature`. */
  secret: string;
  /** Changes per POST; 1 sends one change per call. */
  batchSize: number;
  timeoutMs: number;
  /** Extra headers sent on every call (e.g. a routing header); cannot replace the signature headers. */
  headers: Record<string, string>;
  /** Object names the receiver handles; empty accepts any plain name. */
  objects: string[];
  requestsPerMinute: number;
  maxConcurrent: number;
}

const DEFAULTS = { batchSize: 100, timeoutMs: 10_000, requestsPerMinute: 600, maxConcurrent: 4 };
export const MAX_WEBHOOK_BATCH = 1000;
const RESERVED_HEADERS = ['content-type', 'content-length', 'ebb-signature', 'ebb-timestamp', 'idempotency-key', 'host'];
export const OBJECT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const positiveInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

export function webhookOptionProblems(options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { url, secret, headers, objects } = options;
  if (typeof url !== 'string' || url.trim() === '') problems.push('Set `url` to the endpoint that receives the changes, e.g. "https://hooks.example.com/ebb".');
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push(`\`url\` must be http(s), got "${parsed.protocol}".`);
    } catch {
      problems.push(`\`url\` "${url}" is not a URL.`);
    }
  }
  if (typeof secret !== 'string' || secret === '') problems.push('Set `secret` (the HMAC key the receiver verifies `Ebb-Signature` with), e.g. `secret: env("EBB_WEBHOOK_SECRET")`.');
  for (const name of ['batchSize', 'timeoutMs', 'requestsPerMinute', 'maxConcurrent'] as const) {
    if (options[name] !== undefined && !positiveInt(options[name])) problems.push(`\`${name}\` must be a positive whole number, got ${JSON.stringify(options[name])}.`);
  }
  if (positiveInt(options.batchSize) && options.batchSize > MAX_WEBHOOK_BATCH) problems.push(`\`batchSize\` is at most ${MAX_WEBHOOK_BATCH}.`);
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) problems.push('`headers` must be an object of header name → string value.');
    else {
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value !== 'string') problems.push(`Header "${name}" must be a string.`);
        if (RESERVED_HEADERS.includes(name.toLowerCase())) problems.push(`Header "${name}" is set by Ebb itself and cannot be overridden.`);
      }
    }
  }
  if (objects !== undefined && (!Array.isArray(objects) || objects.some((object) => typeof object !== 'string' || !OBJECT_NAME.test(object)))) {
    problems.push('`objects` must be a list of object names (letters, digits, `_`, `.`, `-`).');
  }
  return problems;
}

export function parseWebhookOptions(options: Record<string, unknown>): WebhookOptions {
  const problems = webhookOptionProblems(options);
  if (problems.length > 0) throw new TerminalError(`Invalid webhook connection options:\n- ${problems.join('\n- ')}`, { code: 'INVALID_OPTIONS' });
  const pick = (name: keyof typeof DEFAULTS): number => (options[name] as number | undefined) ?? DEFAULTS[name];
  return {
    url: String(options.url),
    secret: String(options.secret),
    batchSize: pick('batchSize'),
    timeoutMs: pick('timeoutMs'),
    headers: { ...((options.headers as Record<string, string> | undefined) ?? {}) },
    objects: [...((options.objects as string[] | undefined) ?? [])],
    requestsPerMinute: pick('requestsPerMinute'),
    maxConcurrent: pick('maxConcurrent'),
  };
}
