import { createHash } from 'node:crypto';
import { isSecretRef } from '../../core/sync.ts';
import type { ConnectorDefinition, ObjectCapabilities } from '../connector.ts';
import { COLLECTION_MAX } from './collections.ts';
import { checkObjectName } from './objects.ts';
import { DEFAULT_LOGIN_URL, salesforceOptions, validateSalesforceOptions } from './options.ts';
import { openSalesforceSession } from './session.ts';

import { checkMapping } from './describe.ts';
export { checkMapping, type MappingTargets, type SalesforceField } from './describe.ts';
export type { SalesforceOptions } from './options.ts';
export type { SalesforceSession } from './session.ts';

/** Rows per Bulk API 2.0 job the engine sends (Salesforce counts one batch allocation per 10,000 records). */
export const BULK_MAX_BATCH = 10_000;

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/** Options may still hold unresolved `env()` references here; the variable's name then identifies the value. */
function plain(value: unknown): string | undefined {
  if (isSecretRef(value)) return `$env:${value.$env}`;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Salesforce through jsforce 3: sObject Collections (200 records per call) for ordinary batches,
 * Bulk API 2.0 ingest jobs for batches above that, OAuth refresh-token or JWT bearer logins with one
 * transparent session renewal, and a per-org daily API budget read from Sforce-Limit-Info.
 */
export const salesforceConnector: ConnectorDefinition = {
  kind: 'salesforce',
  validateOptions: validateSalesforceOptions,
  capabilities(object, options): ObjectCapabilities {
    const o = salesforceOptions(options);
    checkObjectName(object, o.objects);
    return {
      operations: ['upsert', 'create', 'update', 'delete'],
      maxBatchSize: { upsert: COLLECTION_MAX, create: COLLECTION_MAX, update: COLLECTION_MAX, delete: COLLECTION_MAX },
      bulk: { threshold: o.bulkThreshold ?? 10_000, maxBatchSize: BULK_MAX_BATCH },
    };
  },
  /**
   * Salesforce has no per-second limit. What binds is the rolling 24 h allocation (guarded by
   * dailyBudgetPercent) and 25 concurrent long-running (≥ 20 s) requests per org: 10 in flight stays
   * well under that even if every call ran long, and 25 calls/s (5,000 rows/s through collections)
   * only stops a runaway loop from spending a day's allocation in minutes.
   */
  rateBudget(options) {
    const o = salesforceOptions(options);
    return { requests: o.requestsPerSecond ?? 25, windowMs: 1_000, maxConcurrent: o.maxConcurrent ?? 10 };
  },
  accountKey(options) {
    const host = (plain(options['instanceUrl']) ?? plain(options['baseUrl']) ?? plain(options['loginUrl']) ?? DEFAULT_LOGIN_URL).replace(/\/+$/, '');
    const who = plain(options['username']) ?? hash(plain(options['refreshToken']) ?? plain(options['accessToken']) ?? plain(options['clientId']) ?? '');
    return `salesforce:${host}:${who}`;
  },
  open: (options, context) => openSalesforceSession(salesforceOptions(options), context),
  checkMapping: (check) => checkMapping(check.fields, check.mapping, check.matchOn, check.mode, check.matchIgnoresCase),
};
