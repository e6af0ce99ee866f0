import type { JsonValue } from '../../core/values.ts';
import { jobStatusBody, type JobQueue } from './jobs.ts';
import type { ZendeskKnobs } from './knobs.ts';
import { recordBatchSize, type ZendeskSandboxStats } from './stats.ts';
import type { ZendeskObject, ZendeskRecord, ZendeskStore } from './store.ts';
import { destroyRow, writeRow, type WriteMode } from './upsert.ts';
import { createOrUpdateOne } from './create-or-update-one.ts';
import { customFieldDefinitions, isObject, listBody, recordView } from './views.ts';

export interface ApiContext {
  store: ZendeskStore;
  jobs: JobQueue;
  knobs: ZendeskKnobs;
  stats: ZendeskSandboxStats;
  /** e.g. `http://127.0.0.1:4030/api/v2` */
  apiBase: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Zendesk's bulk endpoints take at most 100 records or ids per call. */
export const MAX_BULK = 100;

const error = (status: number, code: string, description: string): Reply => ({ status, body: { error: code, description } });
const listParam = (query: URLSearchParams, name: string): string[] | null => {
  const raw = query.get(name);
  return raw === null ? null : raw.split(',').map((part) => part.trim()).filter(Boolean);
};

/** Routes `/api/v2/<parts>` (the `.json` suffix already removed). Returns null for an unknown route. */
export function routeApi(method: string, parts: string[], query: URLSearchParams, body: unknown, ctx: ApiContext): Reply | null {
  const [collection, action, extra] = parts;
  if (collection === 'job_statuses') return routeJobs(method, action, query, ctx);
  if (method === 'GET' && (collection === 'user_fields' || collection === 'organization_fields')) {
    const object: ZendeskObject = collection === 'user_fields' ? 'users' : 'organizations';
    return { status: 200, body: { [collection]: customFieldDefinitions(object, ctx.store), next_page: null, count: 0 } };
  }
  if (collection !== 'users' && collection !== 'organizations') return null;
  if (extra !== undefined) return null;
  const object: ZendeskObject = collection;
  // As in Zendesk: users have a bulk create-or-update; organizations only create_many, update_many (by
  // id) and a one-record create_or_update.
  if (method === 'POST' && action === 'create_or_update_many' && object === 'users') return bulkWrite(object, 'create-or-update', body, ctx);
  if (method === 'POST' && action === 'create_many' && object === 'organizations') return bulkWrite(object, 'create', body, ctx);
  if (method === 'PUT' && action === 'update_many' && object === 'organizations') return bulkWrite(object, 'update', body, ctx);
  if (method === 'POST' && action === 'create_or_update' && object === 'organizations') return createOrUpdateOne(object, body, ctx);
  if (method === 'DELETE' && action === 'destroy_many') return destroyMany(object, query, ctx);
  if (method === 'GET' && action === 'show_many') return showMany(object, query, ctx);
  if (method === 'GET' && action === 'search') {
    const externalId = query.get('external_id');
    const found = externalId === null ? undefined : ctx.store.findBy(object, 'external_id', externalId);
    return { status: 200, body: listBody(object, found ? [found] : [], ctx.apiBase) };
  }
  if (method === 'GET' && action !== undefined && /^\d+$/.test(action)) {
    const record = ctx.store.byId(object, Number(action));
    if (!record) return error(404, 'RecordNotFound', 'Not found');
    return { status: 200, body: { [object === 'users' ? 'user' : 'organization']: recordView(object, record, ctx.apiBase) } };
  }
  return null;
}

const BULK_ACTION: Record<WriteMode, string> = { 'create-or-update': 'POST {object}/create_or_update_many', create: 'POST {object}/create_many', update: 'PUT {object}/update_many' };

/** The `jobSkipRows` knob: a job that neither writes nor reports this row. */
const skipsRow = (ctx: ApiContext, index: number): boolean => ctx.knobs.jobSkipRows.includes(index);

function bulkWrite(object: ZendeskObject, mode: WriteMode, body: unknown, ctx: ApiContext): Reply {
  const rows = isObject(body) ? body[object] : undefined;
  if (!Array.isArray(rows)) {
    return error(400, 'InvalidParameter', `Expected a JSON object with an "${object}" array (node-zendesk sends a bare array as an empty body).`);
  }
  if (rows.length > MAX_BULK) return error(400, 'TooManyValues', `Too many ${object}: at most ${MAX_BULK} per request, got ${rows.length}.`);
  if (rows.some((row) => !isObject(row))) return error(400, 'InvalidParameter', `Every element of "${object}" must be an object.`);
  recordBatchSize(ctx.stats, BULK_ACTION[mode].replace('{object}', object), rows.length);
  if (!ctx.jobs.hasRoom()) return jobLimitReply(ctx);
  const inputs = rows as Record<string, JsonValue>[];
  const job = ctx.jobs.create(inputs.length, () => inputs.flatMap((row, index) => (skipsRow(ctx, index) ? [] : [writeRow(object, row, index, ctx.store, ctx.knobs, mode)])));
  return { status: 200, body: jobStatusBody(job, ctx.apiBase) };
}

function destroyMany(object: ZendeskObject, query: URLSearchParams, ctx: ApiContext): Reply {
  const ids = listParam(query, 'ids');
  const externalIds = listParam(query, 'external_ids');
  const requested = ids ?? externalIds;
  if (!requested || requested.length === 0) return error(400, 'InvalidParameter', 'Pass ids=1,2,3 or external_ids=a,b,c.');
  if (requested.length > MAX_BULK) return error(400, 'TooManyValues', `Too many ids: at most ${MAX_BULK} per request, got ${requested.length}.`);
  recordBatchSize(ctx.stats, `DELETE ${object}/destroy_many`, requested.length);
  if (!ctx.jobs.hasRoom()) return jobLimitReply(ctx);
  const job = ctx.jobs.create(requested.length, () =>
    requested.flatMap((value, index) => {
      if (skipsRow(ctx, index)) return [];
      const record = ids ? ctx.store.byId(object, Number(value)) : ctx.store.findBy(object, 'external_id', value);
      return [destroyRow(object, { id: record?.id ?? null, requested: value }, index, ctx.store)];
    }),
  );
  return { status: 200, body: jobStatusBody(job, ctx.apiBase) };
}

function showMany(object: ZendeskObject, query: URLSearchParams, ctx: ApiContext): Reply {
  const ids = listParam(query, 'ids');
  const externalIds = listParam(query, 'external_ids');
  const wanted = ids ?? externalIds ?? [];
  if (wanted.length > MAX_BULK) return error(400, 'TooManyValues', `Too many ids: at most ${MAX_BULK} per request.`);
  const found = wanted
    .map((value) => (ids ? ctx.store.byId(object, Number(value)) : ctx.store.findBy(object, 'external_id', value)))
    .filter((record): record is ZendeskRecord => record !== undefined);
  return { status: 200, body: listBody(object, found, ctx.apiBase) };
}

function routeJobs(method: string, action: string | undefined, query: URLSearchParams, ctx: ApiContext): Reply | null {
  if (method !== 'GET' || action === undefined) return null;
  if (action === 'show_many') {
    const jobs = (listParam(query, 'ids') ?? []).map((id) => ctx.jobs.poll(id)).filter((job) => job !== undefined);
    return { status: 200, body: { job_statuses: jobs.map((job) => jobStatusBody(job, ctx.apiBase).job_status) } };
  }
  const job = ctx.jobs.poll(action);
  if (!job) return error(404, 'RecordNotFound', 'Not found');
  return { status: 200, body: jobStatusBody(job, ctx.apiBase) };
}

function jobLimitReply(ctx: ApiContext): Reply {
  ctx.stats.rateLimited += 1;
  return {
    status: 429,
    headers: { 'retry-after': '10' },
    body: { error: 'TooManyJobs', description: `Too many background jobs queued or running (limit ${ctx.knobs.maxQueuedJobs}); try again later.` },
  };
}

