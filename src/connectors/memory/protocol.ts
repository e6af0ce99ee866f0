import type { JsonValue } from '../../core/values.ts';

/** The memory connector's wire format; the memory sandbox (src/sandbox/memory) serves it. */
export interface MemoryBatchRequest {
  operation: 'upsert' | 'create' | 'update' | 'delete';
  matchOn: string;
  items: { key: string; fields: Record<string, JsonValue>; remoteId: string | null }[];
}

export type MemoryItemResult = { ok: true; id: string } | { ok: false; code: string; message: string; field?: string };

export interface MemoryBatchResponse {
  results: MemoryItemResult[];
}

export const RATE_HEADERS = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', window: 'x-ratelimit-window-ms' } as const;
