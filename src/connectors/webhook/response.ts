import type { RowError } from '../../core/errors.ts';
import type { BatchItem, ItemResult, RateLimitObservation } from '../connector.ts';

/** What a receiver may answer per change: `{ results: [{ key, status, id?, error?, code? }] }`. */
interface ReceiverResult {
  key?: unknown;
  status?: unknown;
  id?: unknown;
  error?: unknown;
  code?: unknown;
}

const OK_STATUSES = new Set(['ok', 'success', 'applied', 'duplicate', 'created', 'updated', 'deleted']);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The receiver's error message: `error`, `message` or `error.message` of a JSON body, else the text. */
export function receiverMessage(text: string, status: number): string {
  const body = parseJson(text) as { error?: unknown; message?: unknown } | null;
  if (body && typeof body === 'object') {
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
    const nested = body.error as { message?: unknown } | null | undefined;
    if (nested && typeof nested.message === 'string') return nested.message;
  }
  const trimmed = text.trim().slice(0, 500);
  return trimmed === '' ? `HTTP ${status} without a body` : trimmed;
}

/**
 * Results of a 2xx call: per-change results when the receiver returned them (matched by key), and
 * `ok` for every change it did not mention (the 2xx acknowledged the whole call).
 */
export function successResults(items: BatchItem[], text: string): ItemResult[] {
  const body = parseJson(text) as { results?: unknown } | null;
  const byKey = new Map<string, ReceiverResult>();
  if (body && Array.isArray(body.results)) {
    for (const result of body.results as ReceiverResult[]) if (result && (typeof result.key === 'string' || typeof result.key === 'number')) byKey.set(String(result.key), result);
  }
  return items.map((item): ItemResult => {
    const result = byKey.get(item.key);
    const id = result?.id === undefined || result.id === null ? item.remoteId : String(result.id);
    const failed = !result ? false : typeof result.status === 'string' ? !OK_STATUSES.has(result.status.toLowerCase()) : result.error !== undefined && result.error !== null;
    if (!result || !failed) return { status: 'ok', remoteId: id };
    const nested = result.error as { message?: unknown } | null | undefined;
    const message = typeof result.error === 'string' ? result.error : nested && typeof nested.message === 'string' ? nested.message : `rejected by the receiver (status "${String(result.status)}")`;
    return { status: 'failed', error: { code: typeof result.code === 'string' ? result.code : 'REJECTED', message } };
  });
}

/** A 4xx the receiver meant for the whole call: every change of the call gets it. */
export function callRejected(items: BatchItem[], status: number, text: string): ItemResult[] {
  const error: RowError = { code: `HTTP_${status}`, message: receiverMessage(text, status) };
  return items.map(() => ({ status: 'failed', error }));
}

export function rateLimitObservation(headers: Headers): RateLimitObservation | undefined {
  const read = (...names: string[]): number | undefined => {
    for (const name of names) {
      const value = headers.get(name);
      if (value !== null && Number.isFinite(Number(value))) return Number(value);
    }
    return undefined;
  };
  const max = read('x-ratelimit-limit', 'ratelimit-limit');
  const remaining = read('x-ratelimit-remaining', 'ratelimit-remaining');
  return max === undefined && remaining === undefined ? undefined : { max, remaining };
}
