import type { ObjectSchema } from './schema.ts';
import type { ObjectRecords } from './store.ts';
import type { HubspotSandboxKnobs, ResultOrder, SandboxRecord } from './types.ts';

/** What every endpoint handler receives once the request passed auth, limits and fault injection. */
export interface HandlerContext {
  schema: ObjectSchema;
  records: ObjectRecords;
  knobs: HubspotSandboxKnobs;
  /** ISO timestamp of this request, used for createdAt/updatedAt. */
  now: string;
  /** Counts a created record in the stats. */
  onCreate(): void;
}

export interface HandlerResponse {
  status: number;
  /** Absent for 204. */
  body?: unknown;
}

export const MAX_BATCH_INPUTS = 100;

export function recordBody(record: SandboxRecord, properties: Record<string, string> = record.properties): Record<string, unknown> {
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
}

/** HubSpot does not promise results in input order; the sandbox can make that visible. */
export function ordered<T>(items: T[], order: ResultOrder): T[] {
  if (order === 'input') return items;
  if (order === 'reversed') return [...items].reverse();
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  return shuffled;
}

export function batchEnvelope(results: unknown[], errors: unknown[], requestedAt: string): Record<string, unknown> {
  const completedAt = new Date().toISOString();
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    requestedAt,
    startedAt: requestedAt,
    completedAt,
    links: {},
  };
}

export function inputsOf(body: unknown): unknown[] | null {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  return Array.isArray(inputs) ? inputs : null;
}

export function stringField(input: unknown, name: string): string | undefined {
  const value = (input as Record<string, unknown> | null)?.[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
