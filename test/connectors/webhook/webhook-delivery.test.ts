import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch, BatchItem } from '../../../src/connectors/connector.ts';
import { webhookConnector } from '../../../src/connectors/webhook/index.ts';
import { AuthError, RateLimitedError, TerminalError, TransientError } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/values.ts';
import { startWebhookReceiver, type WebhookReceiver, type WebhookReceiverOptions } from '../../../src/sandbox/webhook/index.ts';
import { systemClock } from '../../../src/engine/clock.ts';

const SECRET = 'whsec_test_0123456789';
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function setup(receiverOptions: Partial<WebhookReceiverOptions> = {}, options: Record<string, unknown> = {}) {
  receiver = await startWebhookReceiver({ secret: SECRET, ...receiverOptions });
  const session = await webhookConnector.open({ url: `${receiver.url}/hooks/ebb`, secret: SECRET, ...options }, { rootDir: process.cwd(), sleep: systemClock.sleep });
  return { receiver, session };
}

const change = (key: string, fields: Row = {}, remoteId: string | null = null): BatchItem => ({
  key,
  fields: { id: key, email: `${key}@example.com`, ...fields },
  changedFields: ['email', ...Object.keys(fields)],
  remoteId,
});
const batch = (items: BatchItem[], operation: Batch['operation'] = 'upsert'): Batch => ({ object: 'accounts', operation, matchOn: 'id', items });

describe('webhook connector: delivery through a real receiver', () => {
  it('every change is applied exactly once even when the ack is lost and the engine re-sends', async () => {
    const { receiver, session } = await setup({ stallNext: 1, stallMs: 3000 }, { timeoutMs: 300 });
    const items = [change('a'), change('b'), change('c')];
    const lost = await session.applyBatch(batch(items)).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(TransientError);
    expect((lost as TransientError).code).toBe('TIMEOUT');
    // The receiver did apply them before stalling.
    expect([...receiver.records('accounts').keys()]).toEqual(['a', 'b', 'c']);

    const resent = await session.applyBatch(batch(items));
    expect(resent.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    for (const key of ['a', 'b', 'c']) expect(receiver.applications('accounts', key)).toBe(1);
    expect(receiver.stats().duplicates).toBe(3);
    // Both calls carried the same batch Idempotency-Key.
    expect(new Set(receiver.stats().batchKeys).size).toBe(1);
    // Ids returned on the re-send are the ones the first (unacknowledged) apply assigned.
    expect(resent.results.map((r) => (r.status === 'ok' ? r.remoteId : null))).toEqual(['a', 'b', 'c'].map((key) => receiver.records('accounts').get(key)?.id));
  });

  it('a later change back to earlier values is applied, not mistaken for a re-send', async () => {
    const { receiver, session } = await setup();
    for (const plan of ['pro', 'free', 'pro']) await session.applyBatch(batch([change('k', { plan })]));
    expect(receiver.applications('accounts', 'k')).toBe(3);
    expect(receiver.records('accounts').get('k')?.fields.plan).toBe('pro');
  });

  it('batchSize 1 sends one change per signed POST', async () => {
    const { receiver, session } = await setup({}, { batchSize: 1 });
    const result = await session.applyBatch(batch([change('x'), change('y'), change('z')]));
    expect(result.calls).toBe(3);
    expect(receiver.stats().batchSizes).toEqual([1, 1, 1]);
    expect(webhookConnector.capabilities('accounts', { url: receiver.url, secret: SECRET, batchSize: 1 }).maxBatchSize.upsert).toBe(1);
  });

  it('maps per-change results from the receiver, by key', async () => {
    const { session } = await setup({ rejectKeys: { b: 'account b is frozen' } });
    const { results } = await session.applyBatch(batch([change('a'), change('b'), change('c')]));
    expect(results[0]).toEqual({ status: 'ok', remoteId: expect.stringMatching(/^wh_/) });
    expect(results[1]).toEqual({ status: 'failed', error: { code: 'REJECTED', message: 'account b is frozen' } });
    expect(results[2]?.status).toBe('ok');
  });

  it('update, create and delete are passed through with the remote id', async () => {
    const { receiver, session } = await setup();
    const created = await session.applyBatch(batch([change('d')], 'create'));
    const id = created.results[0]?.status === 'ok' ? created.results[0].remoteId : null;
    const updated = await session.applyBatch(batch([change('d', { plan: 'gold' }, id)], 'update'));
    expect(updated.results[0]).toEqual({ status: 'ok', remoteId: id });
    expect(receiver.records('accounts').get('d')?.fields.plan).toBe('gold');
    const missing = await session.applyBatch(batch([change('nobody')], 'update'));
    expect(missing.results[0]).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND' } });
    await session.applyBatch(batch([{ key: 'd', fields: {}, changedFields: [], remoteId: id }], 'delete'));
    expect(receiver.records('accounts').has('d')).toBe(false);
  });

  it('5xx is a TransientError and 429 a RateLimitedError with the Retry-After delay; nothing applied', async () => {
    const { receiver, session } = await setup({ failNext: 1, failStatus: 503, rateLimitNext: 0 });
    await expect(session.applyBatch(batch([change('a')]))).rejects.toMatchObject({ name: 'TransientError', code: 'HTTP_503' });
    receiver.knobs.rateLimitNext = 1;
    receiver.knobs.retryAfterSec = 4;
    const limited = await session.applyBatch(batch([change('a')])).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(4000);
    expect(receiver.applications('accounts', 'a')).toBe(0);
  });

  it('a 4xx fails every change of that call with the status and the receiver\'s message', async () => {
    const { session } = await setup({ rejectNext: 1, rejectStatus: 422, rejectMessage: 'schema v2 expected' }, { batchSize: 2 });
    const { results, calls } = await session.applyBatch(batch([change('a'), change('b'), change('c')]));
    expect(calls).toBe(2);
    expect(results).toEqual([
      { status: 'failed', error: { code: 'HTTP_422', message: 'schema v2 expected' } },
      { status: 'failed', error: { code: 'HTTP_422', message: 'schema v2 expected' } },
      { status: 'ok', remoteId: expect.any(String) },
    ]);
  });

  it('a sender with the wrong secret is refused (401) and stops with an AuthError', async () => {
    const { receiver } = await setup();
    const wrong = await webhookConnector.open({ url: receiver.url, secret: 'not-the-secret' }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const error = await wrong.applyBatch(batch([change('a')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('mismatch Ebb-Signature');
    expect(receiver.stats().badSignatures).toBe(1);
    expect(receiver.records('accounts').size).toBe(0);
  });

  it('a redirect is not followed (it would turn the POST into a bodiless GET whose 2xx counts as delivered): it stops with the URL to configure', async () => {
    const seen: string[] = [];
    const moved = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => moved.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(moved.address() as { port: number }).port}`;
    try {
      const session = await webhookConnector.open({ url: `${url}/old`, secret: SECRET }, { rootDir: process.cwd(), sleep: systemClock.sleep });
      const error = await session.applyBatch(batch([change('a')])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect((error as Error).message).toBe(`Webhook ${url}/old answered 301, a redirect to ${url}/new: nothing was delivered. Set the connection's \`url\` to the endpoint's final URL and re-run: the next plan proposes these changes again.`);
      expect(seen).toEqual(['POST /old']);
    } finally {
      await new Promise((resolve) => moved.close(resolve));
    }
  });

  it('an unreachable receiver is a TransientError', async () => {
    const { receiver, session } = await setup();
    await receiver.close();
    await expect(session.applyBatch(batch([change('a')]))).rejects.toMatchObject({ name: 'TransientError', code: 'ECONNREFUSED' });
  });
});
