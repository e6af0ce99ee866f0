import type { JsonValue } from '../../core/values.ts';
import type { ZendeskObject, ZendeskRecord, ZendeskStore } from './store.ts';

/** A JSON object (not null, not an array): what every request body and row must be. */
export const isObject = (value: unknown): value is Record<string, JsonValue> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A record as the API shows it: Zendesk adds its own `url`. */
export function recordView(object: ZendeskObject, record: ZendeskRecord, apiBase: string): Record<string, unknown> {
  return { url: `${apiBase}/${object}/${record.id}.json`, ...record };
}

/** A list body with the pagination markers node-zendesk's `getAll` reads to know it is on the last page. */
export function listBody(object: ZendeskObject, records: ZendeskRecord[], apiBase: string): Record<string, unknown> {
  return {
    [object]: records.map((record) => recordView(object, record, apiBase)),
    next_page: null,
    previous_page: null,
    count: records.length,
    meta: { has_more: false, after_cursor: null, before_cursor: null },
    links: { next: null, prev: null },
  };
}

/**
 * `GET /user_fields` and `/organization_fields`: the defined custom fields, or, when the sandbox
 * accepts any key, every key written so far.
 */
export function customFieldDefinitions(object: ZendeskObject, store: ZendeskStore): Record<string, unknown>[] {
  const keys = store.customFields[object] ?? store.writtenCustomKeys[object];
  return [...keys].sort().map((key, i) => ({ id: 9000 + i, key, type: 'text', title: key, active: true, position: i }));
}
