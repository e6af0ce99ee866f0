import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningSandbox, SandboxListenOptions } from '../sandbox.ts';
import { closeServer, listen, readJsonBody, sendJson } from '../http/json-server.ts';
import { applyMemoryBatch } from './apply.ts';
import { defaultKnobs, type MemoryKnobs } from './knobs.ts';
import { RATE_HEADERS, type MemoryBatchRequest } from '../../connectors/memory/protocol.ts';
import { MemoryRecords, type MemoryStats, type StoredRecord } from './store.ts';

export interface MemorySandbox extends RunningSandbox {
  knobs: MemoryKnobs;
  records(object: string): StoredRecord[];
  stats(): MemoryStats;
  reset(): void;
}

/**
 * The destination behind the `memory` connector: records held in this process, a rolling-window rate
 * limit with real 429s and headers, and failure knobs. It runs over HTTP so that an `ebb apply` in
 * another process (killed mid-run in tests) talks to the same records.
 */
export async function startMemorySandbox(options: SandboxListenOptions & Partial<MemoryKnobs> = {}): Promise<MemorySandbox> {
  const { port = 0, host = '127.0.0.1', ...knobOverrides } = options;
  const knobs: MemoryKnobs = { ...defaultKnobs(), ...knobOverrides };
  const records = new MemoryRecords();
  const recent: number[] = [];

  const rateHeaders = (): Record<string, string> => {
    if (knobs.requestsPerWindow <= 0) return {};
    const now = Date.now();
    while (recent.length > 0 && recent[0]! <= now - knobs.windowMs) recent.shift();
    return {
      [RATE_HEADERS.limit]: String(knobs.requestsPerWindow),
      [RATE_HEADERS.remaining]: String(Math.max(0, knobs.requestsPerWindow - recent.length)),
      [RATE_HEADERS.window]: String(knobs.windowMs),
    };
  };

  async function handleBatch(object: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = (await readJsonBody(req)) as MemoryBatchRequest;
    records.stats.requests += 1;
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      records.stats.serverErrors += 1;
      const echoed = knobs.failEchoesItem && request.items[0] ? `: could not process ${JSON.stringify(request.items[0].fields)}` : '';
      return sendJson(res, knobs.failStatus, { error: 'injected', message: `injected failure${echoed}` });
    }
    const now = Date.now();
    rateHeaders();
    const overLimit = knobs.requestsPerWindow > 0 && recent.length >= knobs.requestsPerWindow;
    if (knobs.rateLimitNext > 0 || overLimit) {
      if (!overLimit) knobs.rateLimitNext -= 1;
      records.stats.rateLimited += 1;
      const retryAfterMs = overLimit ? recent[0]! + knobs.windowMs - now : knobs.retryAfterMs;
      return sendJson(res, 429, { error: 'rate_limited', message: 'Too many requests' }, { ...rateHeaders(), 'retry-after': String(Math.max(0.001, retryAfterMs / 1000)) });
    }
    recent.push(now);
    records.stats.batchSizes.push(request.items.length);
    const results = applyMemoryBatch(records, object, request, knobs);
    const stalled = knobs.stallNext > 0;
    if (stalled) knobs.stallNext -= 1;
    const waitMs = stalled ? knobs.stallMs : knobs.delayMs;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (!res.destroyed) sendJson(res, 200, { results }, rateHeaders());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && parts[0] === 'objects' && parts[2] === 'batch' && parts[1]) return handleBatch(parts[1], req, res);
    if (parts[0] === '__sandbox') {
      if (req.method === 'GET' && parts[1] === 'records' && parts[2]) return sendJson(res, 200, records.list(parts[2]));
      if (req.method === 'GET' && parts[1] === 'stats') return sendJson(res, 200, records.stats);
      if (req.method === 'POST' && parts[1] === 'knobs') {
        Object.assign(knobs, (await readJsonBody(req)) as Partial<MemoryKnobs>);
        return sendJson(res, 200, knobs);
      }
      if (req.method === 'POST' && parts[1] === 'reset') {
        records.clear();
        return sendJson(res, 200, {});
      }
    }
    sendJson(res, 404, { error: 'not_found', message: `${req.method} ${url.pathname} is not part of the memory sandbox API` });
  }

  const { server, url } = await listen(handle, port, host);
  return {
    name: 'memory',
    url,
    knobs,
    records: (object) => records.list(object),
    stats: () => records.stats,
    reset: () => records.clear(),
    close: () => closeServer(server),
  };
}
