import { invalid } from './http.ts';
import { contactJson } from './render.ts';
import type { SandboxState } from './state.ts';
import type { StoredContact } from './store.ts';

/**
 * `POST /contacts/search`: single filters (`{field, operator, value}`) and `AND`/`OR` groups of them,
 * with the operators a sync needs (`=`, `!=`, `IN`, `NIN`). Contacts younger than the search-lag knob
 * are not found, like Intercom's eventually consistent index.
 */
type Filter = { field: string; operator: string; value: unknown } | { operator: 'AND' | 'OR'; value: Filter[] };

const SEARCHABLE = new Set(['id', 'external_id', 'email', 'role', 'name', 'phone']);
const MAX_PER_PAGE = 150;

function fieldValue(contact: StoredContact, field: string): unknown {
  if (field.startsWith('custom_attributes.')) return contact.custom_attributes[field.slice('custom_attributes.'.length)] ?? null;
  if (!SEARCHABLE.has(field)) throw invalid(`'${field}' is not a searchable contact field`, field);
  return contact[field as keyof StoredContact];
}

function same(field: string, actual: unknown, wanted: unknown): boolean {
  if (field === 'email' && typeof actual === 'string' && typeof wanted === 'string') return actual.toLowerCase() === wanted.toLowerCase();
  return actual === wanted || (actual !== null && actual !== undefined && String(actual) === String(wanted));
}

function matches(contact: StoredContact, filter: Filter): boolean {
  if (filter.operator === 'AND' || filter.operator === 'OR') {
    const parts = filter.value;
    if (!Array.isArray(parts)) throw invalid(`${filter.operator} needs a list of filters`, 'query');
    return filter.operator === 'AND' ? parts.every((p) => matches(contact, p)) : parts.some((p) => matches(contact, p));
  }
  const { field, operator, value } = filter as { field: unknown; operator: string; value: unknown };
  if (typeof field !== 'string') throw invalid('Each filter needs a field', 'query');
  const actual = fieldValue(contact, field);
  switch (operator) {
    case '=':
      return same(field, actual, value);
    case '!=':
      return !same(field, actual, value);
    case 'IN':
    case 'NIN': {
      if (!Array.isArray(value)) throw invalid(`${operator} needs a list of values`, 'query');
      const found = value.some((v) => same(field, actual, v));
      return operator === 'IN' ? found : !found;
    }
    default:
      throw invalid(`The sandbox does not support the operator '${String(operator)}'`, 'query');
  }
}

export function searchContacts(state: SandboxState, body: Record<string, unknown>): Record<string, unknown> {
  const query = body.query as Filter | undefined;
  if (typeof query !== 'object' || query === null) throw invalid('query is required', 'query', 'parameter_not_found');
  const pagination = (body.pagination ?? {}) as { per_page?: unknown; starting_after?: unknown };
  const perPage = Math.min(MAX_PER_PAGE, typeof pagination.per_page === 'number' && pagination.per_page > 0 ? pagination.per_page : 50);
  const offset = typeof pagination.starting_after === 'string' ? Number.parseInt(pagination.starting_after, 10) || 0 : 0;

  const visibleFrom = Date.now() - state.knobs.searchLagMs;
  const hits = [...state.store.contacts.values()].filter((c) => (state.knobs.searchLagMs === 0 || c.createdAtMs <= visibleFrom) && matches(c, query));
  const page = hits.slice(offset, offset + perPage);
  const totalPages = Math.max(1, Math.ceil(hits.length / perPage));
  const pageNumber = Math.floor(offset / perPage) + 1;
  const next = offset + perPage < hits.length ? { page: pageNumber + 1, starting_after: String(offset + perPage) } : undefined;
  return {
    type: 'list',
    data: page.map(contactJson),
    total_count: hits.length,
    pages: { type: 'pages', page: pageNumber, per_page: perPage, total_pages: totalPages, ...(next ? { next } : {}) },
  };
}
