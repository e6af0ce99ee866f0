import type { IntercomClient } from 'intercom-client';
import type { ItemResult } from '../connector.ts';
import type { CallTracker } from './calls.ts';
import type { ContactRole } from './options.ts';
import type { ModelSchema } from './schema.ts';

/** Everything one record's request chain needs, shared by the records of one batch. */
export interface WriteContext {
  client: IntercomClient;
  tracker: CallTracker;
  schema: ModelSchema;
  defaultRole: ContactRole;
}

export function ok(remoteId: string | null): ItemResult {
  return { status: 'ok', remoteId };
}

export function notFoundRow(message: string): ItemResult {
  return { status: 'failed', error: { code: 'not_found', message } };
}

/** The `id` of an Intercom response body (every object the writers touch has one). */
export function idOf(body: unknown): string {
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw new Error('Intercom answered without the record id');
  return id;
}
