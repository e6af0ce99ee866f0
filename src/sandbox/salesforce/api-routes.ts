import type { BulkIngest } from './bulk.ts';
import type { Collections } from './collections.ts';
import { sfError, ok, type Reply } from './reply.ts';
import { describeBody, findObject } from './schema.ts';

export interface ApiRequest {
  method: string;
  /** Path after `/services/data/vXX.X`, e.g. `/composite/sobjects`. */
  path: string;
  version: string;
  query: URLSearchParams;
  body: string;
}

export interface ApiHandlers {
  collections: Collections;
  bulk: BulkIngest;
  limits: () => Record<string, unknown>;
}

export interface RoutedReply {
  /** Endpoint label for stats, with ids replaced by placeholders. */
  endpoint: string;
  reply: () => Reply;
}

function json(body: string): unknown {
  return body === '' ? null : (JSON.parse(body) as unknown);
}

/** Maps a REST API request to the endpoint that answers it. */
export function routeApi(request: ApiRequest, h: ApiHandlers): RoutedReply {
  const { method, path, query, body, version } = request;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const is = (m: string, ...shape: Array<string | null>): boolean =>
    method === m && parts.length === shape.length && shape.every((s, i) => s === null || s === parts[i]);

  if (is('GET', 'limits')) return { endpoint: 'GET /limits', reply: () => ok(h.limits()) };
  if (is('GET', 'sobjects', null, 'describe')) {
    return {
      endpoint: 'GET /sobjects/{type}/describe',
      reply: () => {
        const object = findObject(parts[1]!);
        return object ? ok(describeBody(object, version)) : sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      },
    };
  }
  if (is('POST', 'composite', 'sobjects')) return { endpoint: 'POST /composite/sobjects', reply: () => h.collections.create(json(body)) };
  if (is('PATCH', 'composite', 'sobjects')) return { endpoint: 'PATCH /composite/sobjects', reply: () => h.collections.update(json(body)) };
  if (is('DELETE', 'composite', 'sobjects')) {
    const ids = (query.get('ids') ?? '').split(',').filter(Boolean);
    return { endpoint: 'DELETE /composite/sobjects', reply: () => h.collections.destroy(ids, query.get('allOrNone') === 'true') };
  }
  if (is('PATCH', 'composite', 'sobjects', null, null)) {
    return { endpoint: 'PATCH /composite/sobjects/{type}/{field}', reply: () => h.collections.upsert(parts[2]!, parts[3]!, json(body)) };
  }
  if (is('POST', 'jobs', 'ingest')) return { endpoint: 'POST /jobs/ingest', reply: () => h.bulk.create(json(body), version) };
  if (is('PUT', 'jobs', 'ingest', null, 'batches')) return { endpoint: 'PUT /jobs/ingest/{id}/batches', reply: () => h.bulk.upload(parts[2]!, body) };
  if (is('PATCH', 'jobs', 'ingest', null)) return { endpoint: 'PATCH /jobs/ingest/{id}', reply: () => h.bulk.setState(parts[2]!, json(body)) };
  if (is('GET', 'jobs', 'ingest', null)) return { endpoint: 'GET /jobs/ingest/{id}', reply: () => h.bulk.get(parts[2]!) };
  if (is('DELETE', 'jobs', 'ingest', null)) return { endpoint: 'DELETE /jobs/ingest/{id}', reply: () => h.bulk.remove(parts[2]!) };
  if (is('GET', 'jobs', 'ingest', null, null)) {
    return { endpoint: `GET /jobs/ingest/{id}/${parts[3]!}`, reply: () => h.bulk.results(parts[2]!, parts[3]!) };
  }
  return { endpoint: `${method} (unknown)`, reply: () => sfError(404, 'NOT_FOUND', `The requested resource does not exist: ${method} ${path}`) };
}
