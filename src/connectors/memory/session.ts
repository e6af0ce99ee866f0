import { TerminalError, TransientError } from '../../core/errors.ts';
import { RATE_HEADERS, type MemoryBatchRequest, type MemoryBatchResponse } from './protocol.ts';
import type { BatchResult, ConnectorSession, RateLimitObservation } from '../connector.ts';
import { classifyHttpFailure } from '../http/classify.ts';
import type { MemoryConnectorOptions } from './index.ts';

function observe(headers: Headers): RateLimitObservation | undefined {
  const max = headers.get(RATE_HEADERS.limit);
  if (max === null) return undefined;
  return { max: Number(max), remaining: Number(headers.get(RATE_HEADERS.remaining)), windowMs: Number(headers.get(RATE_HEADERS.window)) };
}

export function openMemorySession(options: MemoryConnectorOptions): ConnectorSession {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async applyBatch(batch): Promise<BatchResult> {
      const body: MemoryBatchRequest = {
        operation: batch.operation,
        matchOn: batch.matchOn,
        items: batch.items.map((item) => ({ key: item.key, fields: item.fields, remoteId: item.remoteId })),
      };
      let response: Response;
      try {
        response = await fetch(`${base}/objects/${encodeURIComponent(batch.object)}/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        // Timeouts and refused connections: the batch may or may not have landed, and upserts make a re-send safe.
        throw new TransientError(`memory sandbox at ${base} did not answer: ${(error as Error).message}`, { cause: error });
      }
      if (response.status !== 200) {
        const text = await response.text();
        throw classifyHttpFailure({ status: response.status, retryAfter: response.headers.get('retry-after'), defaultRetryAfterMs: 1000, message: `memory sandbox answered ${response.status}: ${text}` });
      }
      const payload = (await response.json()) as MemoryBatchResponse;
      if (payload.results.length !== batch.items.length) {
        throw new TerminalError(`memory sandbox returned ${payload.results.length} results for ${batch.items.length} items`);
      }
      return {
        calls: 1,
        rateLimit: observe(response.headers),
        results: payload.results.map((r) =>
          r.ok ? { status: 'ok', remoteId: r.id || null } : { status: 'failed', error: { code: r.code, message: r.message, ...(r.field ? { field: r.field } : {}) } },
        ),
      };
    },
    async close() {},
  };
}
