import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BatchItem } from '../../../src/connectors/connector.ts';
import { changeIdempotencyKey, checkWebhookSignature, verifyWebhookSignature, webhookConnector, webhookSignature } from '../../../src/connectors/webhook/index.ts';

const secret = 'whsec_abc';
const body = '{"object":"accounts","operation":"upsert","changes":[]}';
const now = Math.floor(Date.now() / 1000);

describe('webhook signatures', () => {
  it('is v1=hex(HMAC-SHA256(secret, "<timestamp>.<body>")), verifiable by any HMAC implementation', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(webhookSignature(secret, now, body)).toBe(`v1=${expected}`);
    expect(verifyWebhookSignature(secret, now, body, `v1=${expected}`)).toBe(true);
    expect(verifyWebhookSignature(secret, String(now), Buffer.from(body), `v1=${expected}`)).toBe(true);
  });

  it('refuses a tampered body, another secret, a stale or future timestamp, and garbage', () => {
    const header = webhookSignature(secret, now, body);
    expect(checkWebhookSignature(secret, now, `${body} `, header)).toBe('mismatch');
    expect(checkWebhookSignature('other', now, body, header)).toBe('mismatch');
    const old = now - 301;
    expect(checkWebhookSignature(secret, old, body, webhookSignature(secret, old, body))).toBe('stale');
    const future = now + 400;
    expect(checkWebhookSignature(secret, future, body, webhookSignature(secret, future, body))).toBe('stale');
    expect(verifyWebhookSignature(secret, old, body, webhookSignature(secret, old, body), 600)).toBe(true);
    expect(checkWebhookSignature(secret, 'yesterday', body, header)).toBe('malformed');
    expect(checkWebhookSignature(secret, now, body, undefined)).toBe('malformed');
    expect(checkWebhookSignature(secret, now, body, 'v1=zz')).toBe('mismatch');
  });

  it('accepts any one of several v1 signatures, for secret rotation', () => {
    const header = `${webhookSignature('old-secret', now, body)},${webhookSignature(secret, now, body)}`;
    expect(verifyWebhookSignature(secret, now, body, header)).toBe(true);
  });
});

describe('webhook idempotency keys', () => {
  const item = (fields: BatchItem['fields'], remoteId: string | null = null): BatchItem => ({ key: 'k1', fields, changedFields: Object.keys(fields), remoteId });

  it('are the same for the same change whatever the field order, and differ when anything meaningful differs', () => {
    const key = changeIdempotencyKey('accounts', 'upsert', item({ a: 1, b: 'x' }));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(changeIdempotencyKey('accounts', 'upsert', item({ b: 'x', a: 1 }))).toBe(key);
    expect(changeIdempotencyKey('accounts', 'upsert', item({ a: 1, b: 'x' }, 'remote-9'))).toBe(key);
    expect(changeIdempotencyKey('accounts', 'upsert', item({ a: 2, b: 'x' }))).not.toBe(key);
    expect(changeIdempotencyKey('accounts', 'update', item({ a: 1, b: 'x' }))).not.toBe(key);
    expect(changeIdempotencyKey('contacts', 'upsert', item({ a: 1, b: 'x' }))).not.toBe(key);
  });
});

describe('webhook connector definition', () => {
  it('validates options with messages that say what to do', () => {
    expect(webhookConnector.validateOptions({ url: 'https://hooks.example.com/ebb', secret: 's' })).toEqual([]);
    expect(webhookConnector.validateOptions({ url: 'ftp://x', batchSize: 0, headers: { 'Ebb-Signature': 'forged' } })).toEqual([
      expect.stringContaining('must be http(s)'),
      expect.stringContaining('Set `secret`'),
      expect.stringContaining('`batchSize` must be a positive whole number'),
      expect.stringContaining('set by Ebb itself'),
    ]);
  });

  it('accepts any plain object name unless the connection lists its objects', () => {
    const options = { url: 'https://user:pw@hooks.example.com/ebb?token=abc', secret: 's' };
    expect(webhookConnector.capabilities('anything_goes', options).operations).toEqual(['upsert', 'create', 'update', 'delete']);
    expect(() => webhookConnector.capabilities('bad name!', options)).toThrow(/plain name/);
    expect(() => webhookConnector.capabilities('tickets', { ...options, objects: ['accounts'] })).toThrow(/not in the connection's `objects`/);
    expect(webhookConnector.accountKey(options)).toBe('webhook:https://hooks.example.com/ebb');
    expect(webhookConnector.rateBudget(options)).toEqual({ requests: 600, windowMs: 60_000, maxConcurrent: 4 });
  });
});
