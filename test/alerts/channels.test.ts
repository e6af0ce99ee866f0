import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/alert-manager.ts';
import { AlertDeliveryError } from '../../src/alerts/channels/http-post.ts';
import { slackChannel } from '../../src/alerts/channels/slack.ts';
import { webhookChannel } from '../../src/alerts/channels/webhook.ts';
import type { AlertNotification } from '../../src/alerts/notification.ts';
import { verifyWebhookSignature } from '../../src/connectors/webhook/signature.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openSqliteSnapshotStore, type SqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { createTestProject, type TestProject } from '../support/project.ts';
import { ManualClock } from '../scheduler/support/manual-clock.ts';
import { startAlertReceiver, type AlertReceiver } from './support/alert-receiver.ts';

let receiver: AlertReceiver;
let dir: TestProject | undefined;
const stores: SqliteSnapshotStore[] = [];
afterEach(async () => {
  await receiver?.close();
  for (const s of stores.splice(0)) await s.close();
  dir?.cleanup();
  dir = undefined;
});

const retry = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const notification: AlertNotification = {
  id: 'transition-1', status: 'firing', severity: 'critical', previousSeverity: 'ok', sync: 'contacts', rule: 'apply-failed', message: 'apply failed', changedAt: '2031-03-01T09:00:00.000Z',
};

describe('webhook channel', () => {
  it('retries 5xx with the same body and idempotency key, each attempt freshly signed', async () => {
    receiver = await startAlertReceiver();
    receiver.failNext(2, 503);
    const channel = webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: { 'x-team': 'data' }, timeoutMs: 2000, retry, sleep });
    await channel.send(notification);
    expect(receiver.calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(new Set(receiver.calls.map((c) => c.body)).size).toBe(1);
    expect(new Set(receiver.calls.map((c) => c.headers['idempotency-key']))).toEqual(new Set(['transition-1']));
    for (const call of receiver.calls) {
      expect(verifyWebhookSignature('s', call.headers['ebb-timestamp'] as string, call.body, call.headers['ebb-signature'] as string)).toBe(true);
      expect(call.headers['x-team']).toBe('data');
    }
    expect(receiver.calls[0]!.json).toEqual({ type: 'ebb.alert', ...notification });
  });

  it('retries a call that timed out', async () => {
    receiver = await startAlertReceiver();
    receiver.stallNext(1, 400);
    const channel = webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 100, retry, sleep });
    await channel.send(notification);
    await sleep(450); // let the stalled call finish on the receiver's side
    expect(receiver.calls.map((c) => c.headers['idempotency-key'])).toEqual(['transition-1', 'transition-1']);
  });

  it('does not retry a 4xx: the URL or secret is wrong, and says so', async () => {
    receiver = await startAlertReceiver();
    receiver.failNext(5, 401);
    const channel = webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 1000, retry, sleep });
    await expect(channel.send(notification)).rejects.toThrow(/alert webhook "hook" answered 401: nope; not retried: check the channel's URL and secret/);
    expect(receiver.calls).toHaveLength(1);
  });

  it('does not follow a redirect (it would turn the POST into a bodiless GET): not delivered, and names the URL to configure', async () => {
    receiver = await startAlertReceiver();
    receiver.redirectNext(1, 301, '/moved');
    const channel = webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 1000, retry, sleep });
    const moved = receiver.url.replace(/\/alerts$/, '/moved');
    await expect(channel.send(notification)).rejects.toThrow(`alert webhook "hook" answered 301: the URL redirects to ${moved}; configure that URL (a redirect is not followed: it would drop the alert)`);
    expect(receiver.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 301']);
  });

  it('gives up after its attempts when the endpoint stays down', async () => {
    receiver = await startAlertReceiver();
    receiver.failNext(10, 500);
    const channel = webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 1000, retry, sleep });
    await expect(channel.send(notification)).rejects.toThrow(AlertDeliveryError);
    expect(receiver.calls).toHaveLength(4);
  });
});

describe('slack channel', () => {
  it('posts {text} and never puts the (secret) webhook URL in its errors', async () => {
    receiver = await startAlertReceiver();
    const channel = slackChannel({ name: 'oncall', url: receiver.url, retry, sleep });
    await channel.send(notification);
    expect(receiver.calls[0]!.json).toEqual({ text: ':rotating_light: [CRITICAL] contacts · apply-failed: apply failed' });
    await channel.send({ ...notification, id: 't2', status: 'resolved', severity: 'ok', previousSeverity: 'critical', message: 'recovered' });
    expect(receiver.calls[1]!.json).toEqual({ text: ':white_check_mark: [RESOLVED] contacts · apply-failed (was critical): recovered' });
    receiver.failNext(1, 404);
    const error = await channel.send(notification).catch((e: Error) => e);
    expect(String(error)).toContain('Slack channel "oncall" answered 404');
    expect(String(error)).not.toContain(receiver.url);
  });
  it('names only the origin a (secret) Slack URL redirects to, and whether the path is the same', async () => {
    receiver = await startAlertReceiver();
    const https = receiver.url.replace(/^http:/, 'https:');
    receiver.redirectNext(2, 308, https);
    const channel = slackChannel({ name: 'oncall', url: receiver.url, retry, sleep });
    const same = String(await channel.send(notification).catch((e: Error) => e));
    expect(same).toContain(`Slack channel "oncall" answered 308: the URL redirects to ${new URL(https).origin} with the same path; configure that URL`);
    receiver.redirectNext(1, 302, 'https://hooks.example.test/services/T000/B000/other-secret');
    const other = String(await channel.send(notification).catch((e: Error) => e));
    expect(other).toContain('the URL redirects to https://hooks.example.test (another path, not shown: the URL is a secret)');
    expect(other).not.toContain('other-secret');
    expect(receiver.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 308', 'POST 302']);
  });
});

describe('the alert outbox', () => {
  it('keeps an undelivered change and delivers it, once, after a restart, with the same id', async () => {
    receiver = await startAlertReceiver();
    dir = createTestProject();
    const path = dir.path('snapshot.sqlite');
    const clock = new ManualClock(Date.parse('2031-03-01T09:00:00.000Z'));
    const manager = (store: SqliteSnapshotStore) =>
      new AlertManager({ store, clock, logger: silentLogger(), channels: [webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 1000, retry, sleep })] });
    const first = openSqliteSnapshotStore(path);
    stores.push(first);
    receiver.failNext(4, 500);
    const before = manager(first);
    const changed = await before.observe([{ sync: 'contacts', rule: 'apply-failed', severity: 'critical', message: 'down' }]);
    await before.settled();
    expect(receiver.calls.map((c) => c.status)).toEqual([500, 500, 500, 500]);
    expect((await first.listAlertStates())[0]!.undelivered).toEqual(['hook']);
    // The same finding again is no change of state: nothing new is recorded or sent.
    expect(await manager(first).observe([{ sync: 'contacts', rule: 'apply-failed', severity: 'critical', message: 'still down' }])).toEqual([]);
    await first.close();

    const second = openSqliteSnapshotStore(path);
    stores.push(second);
    const restarted = manager(second);
    await restarted.deliverOutbox();
    await restarted.deliverOutbox(); // queued once, not twice
    await restarted.settled();
    await restarted.deliverOutbox();
    await restarted.settled();
    expect(receiver.accepted().map((c) => c.headers['idempotency-key'])).toEqual([changed[0]!.transitionId]);
    expect((await second.listAlertStates())[0]!.undelivered).toEqual([]);
  });

  it('keeps a change whose channel redirects undelivered, with the reason logged', async () => {
    receiver = await startAlertReceiver();
    dir = createTestProject();
    const store = openSqliteSnapshotStore(dir.path('snapshot.sqlite'));
    stores.push(store);
    const logged: string[] = [];
    const logger = silentLogger();
    logger.error = ((_: unknown, message: string) => void logged.push(message)) as typeof logger.error;
    receiver.redirectNext(1, 302, '/login');
    const clock = new ManualClock(Date.parse('2031-03-01T09:00:00.000Z'));
    const manager = new AlertManager({ store, clock, logger, channels: [webhookChannel({ name: 'hook', url: receiver.url, secret: 's', headers: {}, timeoutMs: 1000, retry, sleep })] });
    await manager.observe([{ sync: 'contacts', rule: 'apply-failed', severity: 'critical', message: 'down' }]);
    await manager.settled();
    expect((await store.listAlertStates())[0]!.undelivered).toEqual(['hook']);
    expect(logged).toEqual(['could not deliver an alert to channel "hook"; it is retried at the next evaluation']);
    // Once the URL answers (fixed), the outbox delivers it.
    await manager.deliverOutbox();
    await manager.settled();
    expect(receiver.accepted().map((c) => c.method)).toEqual(['POST']);
    expect((await store.listAlertStates())[0]!.undelivered).toEqual([]);
  });
});
