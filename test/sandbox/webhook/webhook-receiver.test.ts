import { afterEach, describe, expect, it } from 'vitest';
import { webhookSignature } from '../../../src/connectors/webhook/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../src/sandbox/webhook/index.ts';

const SECRET = 'receiver-secret';
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const payload = (keys: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ object: 'accounts', operation: 'upsert', changes: keys.map((key) => ({ key, idempotencyKey: `idem-${key}`, fields: { key, ...extra }, changedFields: ['key'], remoteId: null })) });

/** POSTs like a sender would, with the signature computed for `timestamp` over exactly `body`. */
async function post(url: string, body: string, options: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? webhookSignature(options.secret ?? SECRET, timestamp, body);
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'ebb-timestamp': String(timestamp), 'ebb-signature': signature } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('webhook receiver sandbox', () => {
  it('applies a correctly signed call and answers per-change results with ids', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const reply = await post(receiver.url, payload(['a', 'b']));
    expect(reply.status).toBe(200);
    expect(reply.body.results).toEqual([
      { key: 'a', status: 'ok', id: 'wh_1' },
      { key: 'b', status: 'ok', id: 'wh_2' },
    ]);
    expect(receiver.records('accounts').get('a')?.fields).toEqual({ key: 'a' });
  });

  it('rejects a bad signature, a tampered body and a stale timestamp with 401, applying nothing', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    const body = payload(['a']);
    expect((await post(receiver.url, body, { secret: 'wrong' })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(receiver.url, payload(['evil']), { signature: webhookSignature(SECRET, now, body) })).status).toBe(401);
    const stale = await post(receiver.url, body, { timestamp: now - 600 });
    expect(stale).toEqual({ status: 401, body: { error: 'stale Ebb-Timestamp: outside the accepted clock skew' } });
    const unsigned = await fetch(receiver.url, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect(receiver.stats()).toMatchObject({ badSignatures: 3, staleSignatures: 1, applied: 0 });
    expect(receiver.records('accounts').size).toBe(0);
  });

  it('acknowledges a repeated change without applying it twice', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    await post(receiver.url, payload(['a']));
    const again = await post(receiver.url, payload(['a']));
    expect(again.body.results).toEqual([{ key: 'a', status: 'ok', id: 'wh_1', duplicate: true }]);
    expect(receiver.applications('accounts', 'a')).toBe(1);
    expect(receiver.stats().createsPerKey).toEqual({ 'accounts/a': 1 });
  });

  it('stalls after applying (knob), answers 500 for the next N calls, and validates the body', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET, failNext: 2 });
    expect((await post(receiver.url, payload(['a']))).status).toBe(500);
    expect((await post(receiver.url, payload(['a']))).status).toBe(500);
    expect(receiver.applications('accounts', 'a')).toBe(0);
    expect((await post(receiver.url, JSON.stringify({ object: 'accounts', operation: 'merge', changes: [] }))).status).toBe(400);

    receiver.knobs.stallNext = 1;
    receiver.knobs.stallMs = 400;
    const started = Date.now();
    expect((await post(receiver.url, payload(['s']))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(receiver.applications('accounts', 's')).toBe(1);
  });

  it('exposes records, stats and knobs over HTTP', async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    await post(receiver.url, payload(['h']));
    const records = (await (await fetch(`${receiver.url}/__sandbox/records/accounts`)).json()) as Record<string, unknown>;
    expect(records).toEqual({ h: { id: 'wh_1', fields: { key: 'h' } } });
    await fetch(`${receiver.url}/__sandbox/knobs`, { method: 'POST', body: JSON.stringify({ rejectKeys: { x: 'no x' } }) });
    expect((await post(receiver.url, payload(['x']))).body.results).toEqual([{ key: 'x', status: 'failed', code: 'REJECTED', error: 'no x' }]);
    const stats = (await (await fetch(`${receiver.url}/__sandbox/stats`)).json()) as { applied: number };
    expect(stats.applied).toBe(1);
  });
});
