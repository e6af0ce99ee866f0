import { createHash } from 'node:crypto';
import { isSecretRef } from '../../core/sync.ts';
import type { ConnectorDefinition } from '../connector.ts';
import { INTERCOM_WINDOW_MS } from './calls.ts';
import { capabilitiesOf } from './objects.ts';
import { optionProblems, resolveOptions } from './options.ts';
import { IntercomSession } from './session.ts';

export type { IntercomOptions } from './options.ts';

function pick(options: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => options[n] !== undefined).map((n) => [n, options[n]]));
}

/**
 * Intercom (REST API 2.x through intercom-client 7).
 *
 * Objects: `contacts` (users or leads: the `role` option, or a mapped `role` field; default user),
 * matched on `external_id`; `companies`, matched on `company_id`. Custom data attributes are mapped
 * as `custom_attributes.<name>` (e.g. `'custom_attributes.plan': 'plan'`) and must exist in the
 * workspace; values are converted to the type Intercom declares for them (decimal strings to numbers,
 * ISO timestamps to epoch seconds).
 *
 * Options: `accessToken` (secret), `baseUrl` (default https://api.intercom.io), `requestsPer10s`
 * (default 1,600), `maxConcurrent` (default 10), `role` (default user), `timeoutSeconds` (default 20).
 *
 * Upsert of a contact: PUT by the stored remote id when there is one; else search by external_id and
 * PUT, or POST; a 409 "already exists with id=..." on POST becomes a PUT of that contact, so a contact
 * created outside Ebb, or one search cannot see yet, is adopted rather than duplicated.
 */
export const intercomConnector: ConnectorDefinition = {
  kind: 'intercom',

  validateOptions: (options) => optionProblems(options),

  capabilities: (object) => capabilitiesOf(object),

  /**
   * In requests: one applyBatch of N records makes N to 2N requests (3N at worst, with the 409 path),
   * and reports how many in `calls`.
   */
  rateBudget(options) {
    const { requestsPer10s, maxConcurrent } = resolveOptions({ accessToken: 'not-needed-for-the-budget', ...pick(options, 'requestsPer10s', 'maxConcurrent') });
    return { requests: requestsPer10s, windowMs: INTERCOM_WINDOW_MS, maxConcurrent };
  },

  /**
   * The limit is per app and workspace: one limiter per host and token, hashed (never the token). An
   * unresolved `env()` reference identifies the account by the variable's name.
   */
  accountKey(options) {
    const token = isSecretRef(options.accessToken) ? `$env:${options.accessToken.$env}` : options.accessToken;
    const { baseUrl } = resolveOptions({ ...pick(options, 'baseUrl'), accessToken: token });
    const tokenHash = createHash('sha256').update(String(token)).digest('hex').slice(0, 16);
    return `intercom:${baseUrl}:${tokenHash}`;
  },

  async open(options) {
    const resolved = resolveOptions(options);
    const { IntercomClient } = await import('intercom-client');
    const client = new IntercomClient({
      token: resolved.accessToken,
      baseUrl: resolved.baseUrl,
      // intercom-client retries 408/429/5xx twice by itself, POST included; the engine owns retries.
      maxRetries: 0,
      timeoutInSeconds: resolved.timeoutSeconds,
    });
    return new IntercomSession(client, resolved);
  },
};
