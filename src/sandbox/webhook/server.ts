import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkWebhookSignature } from '../../connectors/webhook/signature.ts';
import type { RunningSandbox, SandboxListenOptions } from '../sandbox.ts';
import { closeServer, listen, sendJson } from '../http/json-server.ts';
import { applyChange, payloadProblem, type ReceivedChange } from './apply.ts';
import { defaultWebhookKnobs, type WebhookKnobs } from './knobs.ts';
import { ReceiverStore, type ReceivedRecord, type WebhookReceiverStats } from './store.ts';

export interface WebhookReceiverOptions extends SandboxListenOptions, Partial<WebhookKnobs> {
  /** The HMAC key senders sign with. */
  secret: string;
}

export interface WebhookReceiver extends RunningSandbox {
  knobs: WebhookKnobs;
  /** Records currently held for an object, by key. */
  records(object: string): Map<string, ReceivedRecord>;
  /** How many times a change to `object/key` was applied (re-sends acknowledged as duplicates do not count). */
  applications(object: string, key: string): number;
  stats(): WebhookReceiverStats;
  reset(): void;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A team's own service receiving Ebb's webhook connector: it verifies `Ebb-Signature` (401 for a bad
 * or stale one), applies each change once per idempotency key, stores what it got, and can be told to
 * fail, rate-limit, reject, or apply-then-stall past the sender's timeout. Any path but `/__sandbox/…`
 * receives.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const { port = 0, host = '127.0.0.1', secret, ...knobOverrides } = options;
  if (typeof secret !== 'string' || secret === '') throw new Error('startWebhookReceiver needs the `secret` senders sign with.');
  const knobs: WebhookKnobs = { ...defaultWebhookKnobs(), ...knobOverrides };
  const store = new ReceiverStore();
  const stalls = new Set<() => void>();

  /** Waits `ms`, or less if the sender hangs up or the receiver closes. */
  const stall = (ms: number, res: ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stalls.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stalls.add(done);
      res.once('close', done);
    });

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRaw(req);
    const stats = store.stats;
    stats.requests += 1;
    const check = checkWebhookSignature(secret, header(req, 'ebb-timestamp'), raw, header(req, 'ebb-signature'), knobs.toleranceSec);
    if (check !== 'ok') {
      if (check === 'stale') stats.staleSignatures += 1;
      else stats.badSignatures += 1;
      const error = check === 'stale' ? 'stale Ebb-Timestamp: outside the accepted clock skew' : `${check} Ebb-Signature`;
      return sendJson(res, 401, { error });
    }
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      stats.serverErrors += 1;
      return sendJson(res, knobs.failStatus, { error: 'injected failure (sandbox failNext)' });
    }
    if (knobs.rateLimitNext > 0) {
      knobs.rateLimitNext -= 1;
      stats.rateLimited += 1;
      return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': String(knobs.retryAfterSec) });
    }
    if (knobs.rejectNext > 0) {
      knobs.rejectNext -= 1;
      stats.rejectedCalls += 1;
      return sendJson(res, knobs.rejectStatus, { error: knobs.rejectMessage });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'body is not JSON' });
    }
    const problem = payloadProblem(body);
    if (problem) return sendJson(res, 400, { error: problem });
    const payload = body as { object: string; operation: string; changes: ReceivedChange[] };
    stats.batchSizes.push(payload.changes.length);
    stats.batchKeys.push(header(req, 'idempotency-key') ?? '');
    const results = payload.changes.map((change) => applyChange(store, payload.object, payload.operation, change, knobs));
    if (knobs.stallNext > 0) {
      knobs.stallNext -= 1;
      await stall(knobs.stallMs, res);
    }
    if (!res.destroyed) sendJson(res, 200, { results });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== '__sandbox') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST the changes here' });
      return receive(req, res);
    }
    const [what, object] = parts.slice(1);
    if (req.method === 'GET' && what === 'records' && object) return sendJson(res, 200, Object.fromEntries(store.table(object)));
    if (req.method === 'GET' && what === 'stats') return sendJson(res, 200, store.stats);
    if (req.method === 'GET' && what === 'knobs') return sendJson(res, 200, knobs);
    if (req.method === 'POST' && what === 'knobs') {
      const changes = JSON.parse((await readRaw(req)).toString('utf8') || '{}') as Partial<WebhookKnobs>;
      Object.assign(knobs, changes);
      return sendJson(res, 200, knobs);
    }
    if (req.method === 'POST' && what === 'reset') {
      store.clear();
      return sendJson(res, 200, {});
    }
    sendJson(res, 404, { error: 'sandbox routes: GET records/<object>, GET stats, GET|POST knobs, POST reset' });
  }

  const { server, url } = await listen(handle, port, host);
  return {
    name: 'webhook',
    url,
    knobs,
    records: (object) => new Map(store.table(object)),
    applications: (object, key) => store.stats.applicationsPerKey[`${object}/${key}`] ?? 0,
    stats: () => store.stats,
    reset: () => store.clear(),
    close: async () => {
      for (const release of [...stalls]) release();
      await closeServer(server);
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
