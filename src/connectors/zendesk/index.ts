import type { ConnectorContext, ConnectorDefinition, ConnectorSession, ObjectCapabilities, RateBudget } from '../connector.ts';
import type { ZendeskRequester } from './api.ts';
import { zendeskObject } from './objects.ts';
import { parseZendeskOptions, zendeskApiBase, zendeskOptionProblems } from './options.ts';
import { ZENDESK_MAX_BULK, ZendeskSession } from './session.ts';


/**
 * Zendesk Support users and organizations through node-zendesk 6: upserts by `external_id` (users with
 * `create_or_update_many`; organizations with `create_many` / `update_many`, see organizations.ts), 100
 * rows per background job polled to completion and mapped back row by row; deletes by remote id with
 * `destroy_many`. Custom fields are mapped as `user_fields.<key>` /
 * `organization_fields.<key>` (see payload.ts and README.md).
 */
export const zendeskConnector: ConnectorDefinition = {
  kind: 'zendesk',

  validateOptions: (options) => zendeskOptionProblems(options),

  capabilities(object): ObjectCapabilities {
    zendeskObject(object);
    return {
      operations: ['upsert', 'delete'],
      maxBatchSize: { upsert: ZENDESK_MAX_BULK, create: ZENDESK_MAX_BULK, update: ZENDESK_MAX_BULK, delete: ZENDESK_MAX_BULK },
    };
  },

  /**
   * One batch is one job plus its polls, all counted against the per-minute limit. Each applyBatch
   * waits for its own job, so capping concurrency at `maxOutstandingJobs` caps queued jobs too.
   */
  rateBudget(options): RateBudget {
    const parsed = parseZendeskOptions(options);
    return { requests: parsed.requestsPerMinute, windowMs: 60_000, maxConcurrent: parsed.maxOutstandingJobs };
  },

  /** Zendesk limits per account (the instance), whoever the agent is. */
  accountKey: (options) => `zendesk:${zendeskApiBase(options)}`,

  async open(options, context: ConnectorContext): Promise<ConnectorSession> {
    const parsed = parseZendeskOptions(options);
    const { default: zendesk } = await import('node-zendesk');
    const client = zendesk.createClient({
      username: parsed.email,
      token: parsed.apiToken,
      endpointUri: parsed.apiBase,
      // Keeps statusCode and the parsed body on thrown errors; node-zendesk has no retries to disable.
      throwOriginalException: true,
    });
    // Any sub-client can send any path; job statuses has no side-loading or body unwrapping in the way.
    const requester = client.jobstatuses as unknown as ZendeskRequester;
    return new ZendeskSession(requester, parsed, zendeskConnector.accountKey(options), context.sleep);
  },

  // Users and organizations are matched on external_id ignoring case (destination-apis.md, users table).
  matchIgnoresCase: (_object, matchOn) => matchOn === 'external_id',
};
