import { TerminalError } from '../../core/errors.ts';
import type { JsonValue } from '../../core/values.ts';
import type { Batch, BatchItem, BatchResult, CallPacing, ConnectorSession, ItemResult, RemoteField } from '../connector.ts';
import { ZendeskApi, type ZendeskRequester } from './api.ts';
import { parseJobStatus, waitForJob, type JobStatus, type PollSettings } from './job.ts';
import { reserveJobSlot } from './job-slots.ts';
import { CUSTOM_FIELDS, STANDARD_ATTRIBUTES, zendeskObject, type ZendeskObjectName } from './objects.ts';
import type { ZendeskOptions } from './options.ts';
import { upsertOrganizations } from './organizations.ts';
import { toZendeskRecord } from './payload.ts';
import { deleteResults, upsertResults, wholeCallRejection } from './results.ts';

/** Rows or ids per bulk call (create_or_update_many, create_many, update_many, destroy_many). */
export const ZENDESK_MAX_BULK = 100;

export class ZendeskSession implements ConnectorSession {
  private readonly poll: PollSettings;

  constructor(
    private readonly client: ZendeskRequester,
    private readonly options: ZendeskOptions,
    private readonly account: string,
    sleep: (ms: number) => Promise<void>,
  ) {
    this.poll = { sleep, pollIntervalMs: options.pollIntervalMs, maxPollIntervalMs: options.maxPollIntervalMs, jobTimeoutMs: options.jobTimeoutMs };
  }

  async applyBatch(batch: Batch, pacing?: CallPacing): Promise<BatchResult> {
    const object = zendeskObject(batch.object);
    if (batch.operation !== 'upsert' && batch.operation !== 'delete') {
      throw new TerminalError(`Zendesk ${object} support the upsert and delete operations, not "${batch.operation}"; use mode "upsert" or "mirror".`, { code: 'UNSUPPORTED_OPERATION' });
    }
    if (batch.matchOn !== 'external_id') {
      throw new TerminalError(`Zendesk ${object} are matched on "external_id", not "${batch.matchOn}"; set destination.matchOn to "external_id" and map the key to it.`, { code: 'INVALID_MATCH_ON' });
    }
    // Each job poll is a request of the same per-minute budget: paced like the batch's first.
    const api = new ZendeskApi(this.client, pacing);
    const results: ItemResult[] = [];
    for (let start = 0; start < batch.items.length; start += ZENDESK_MAX_BULK) {
      const chunk = batch.items.slice(start, start + ZENDESK_MAX_BULK);
      results.push(...(batch.operation === 'upsert' ? await this.upsert(api, object, chunk) : await this.destroy(api, object, chunk)));
    }
    return { results, calls: api.calls, rateLimit: api.rateLimit };
  }

  async describe(objectName: string): Promise<RemoteField[]> {
    const object = zendeskObject(objectName);
    const api = new ZendeskApi(this.client);
    const definitions = CUSTOM_FIELDS[object];
    const reply = await api.send('GET', [definitions]);
    const list = (reply.body as Record<string, unknown> | null)?.[definitions];
    const custom = Array.isArray(list) ? (list as { key?: unknown; type?: unknown; active?: unknown }[]) : [];
    return [
      ...STANDARD_ATTRIBUTES[object].map((attribute) => ({ ...attribute, writable: true, unique: attribute.name === 'external_id' })),
      ...custom
        .filter((field) => typeof field.key === 'string' && field.active !== false)
        .map((field) => ({ name: `${definitions}.${String(field.key)}`, type: typeof field.type === 'string' ? field.type : 'text', writable: true })),
    ];
  }

  async close(): Promise<void> {}

  private async upsert(api: ZendeskApi, object: ZendeskObjectName, items: BatchItem[]): Promise<ItemResult[]> {
    if (object === 'organizations') return upsertOrganizations(api, (method, uri, body) => this.runJob(api, method, uri, body), items);
    const records = items.map((item) => toZendeskRecord(object, item));
    const reply = await this.runJob(api, 'POST', [object, 'create_or_update_many'], { [object]: records });
    if ('rejected' in reply) return wholeCallRejection(reply.rejected, items.length);
    return upsertResults(records, reply.job.results, CUSTOM_FIELDS[object]);
  }

  /** Deletes by the stored remote id; rows the snapshot has no id for go by external_id. Nothing else is deleted. */
  private async destroy(api: ZendeskApi, object: ZendeskObjectName, items: BatchItem[]): Promise<ItemResult[]> {
    const results: ItemResult[] = new Array(items.length);
    const groups = { ids: [] as { row: number; target: string }[], external_ids: [] as { row: number; target: string }[] };
    for (const [row, item] of items.entries()) {
      const externalId = String(item.fields.external_id ?? item.key);
      if (item.remoteId) {
        groups.ids.push({ row, target: item.remoteId });
      } else if (externalId.includes(',')) {
        // destroy_many takes a comma-separated list with no escape: "acme,42" would delete "acme" and "42".
        const id = await this.idByExternalId(api, object, externalId);
        if (id === null) results[row] = { status: 'ok', remoteId: null }; // already gone: deleting is idempotent
        else groups.ids.push({ row, target: id });
      } else {
        groups.external_ids.push({ row, target: externalId });
      }
    }
    for (const by of ['ids', 'external_ids'] as const) {
      const rows = groups[by].map((g) => g.row);
      if (rows.length === 0) continue;
      const targets = groups[by].map((g) => g.target);
      const reply = await this.runJob(api, 'DELETE', [object, 'destroy_many', { [by]: targets.join(',') }]);
      const mapped = 'rejected' in reply ? wholeCallRejection(reply.rejected, rows.length) : deleteResults(targets, by, reply.job.results);
      rows.forEach((row, k) => (results[row] = mapped[k]!));
    }
    return results;
  }

  /** The Zendesk id of the record holding `externalId` (`{object}/search?external_id=`), or null when there is none. */
  private async idByExternalId(api: ZendeskApi, object: ZendeskObjectName, externalId: string): Promise<string | null> {
    const reply = await api.send('GET', [object, 'search', { external_id: externalId }]);
    const list = (reply.body as Record<string, unknown> | null)?.[object];
    const id = Array.isArray(list) ? (list[0] as { id?: unknown } | undefined)?.id : undefined;
    return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  }

  /** Starts a bulk job within the outstanding-jobs cap and waits for it; a 422 comes back as `rejected`. */
  private async runJob(api: ZendeskApi, method: string, uri: unknown[], body?: Record<string, JsonValue>): Promise<{ job: JobStatus } | { rejected: unknown }> {
    const release = reserveJobSlot(this.account, this.options.maxOutstandingJobs, this.options.pollIntervalMs);
    try {
      const reply = await api.send(method, uri, body, [422]);
      if (reply.status === 422) return { rejected: reply.body };
      const started = parseJobStatus(reply.body, `${method} ${String(uri[0])}/${String(uri[1])}`);
      return { job: await waitForJob(api, started, this.poll) };
    } finally {
      release();
    }
  }
}
