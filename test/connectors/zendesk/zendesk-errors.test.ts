import zendesk from 'node-zendesk';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, RateLimitedError, TransientError } from '../../../src/core/errors.ts';
import { zendeskConnector } from '../../../src/connectors/zendesk/index.ts';
import { startZendeskSandbox } from '../../../src/sandbox/zendesk/index.ts';
import { upsert, user, zendeskFixture, type ZendeskFixture } from './fixture.ts';
import { systemClock } from '../../../src/engine/clock.ts';

let fx: ZendeskFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => new Error('expected a failure, got success'), (error: unknown) => error);

describe('zendesk connector: whole-call failures and node-zendesk quirks', () => {
  it('a 429 with Retry-After becomes RateLimitedError with that delay, although node-zendesk resolves it', async () => {
    fx = await zendeskFixture({ rateLimitNext: 1, retryAfterSec: 7 });
    // The quirk itself, against the same sandbox: node-zendesk resolves with an Error as the result.
    const raw = zendesk.createClient({ username: fx.sandbox.credentials.email, token: fx.sandbox.credentials.apiToken, endpointUri: fx.sandbox.apiUrl, throwOriginalException: true });
    const quirk = (await raw.users.createOrUpdateMany({ users: [{ external_id: 'q', email: 'q@example.com', name: 'Q' }] } as never)) as unknown as { result: unknown; response: { status: number } };
    expect(quirk.response.status).toBe(429);
    expect(quirk.result).toBeInstanceOf(Error);

    fx.sandbox.knobs.rateLimitNext = 1;
    const error = await failure(fx.session.applyBatch(upsert('users', [user('a')])));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    expect(fx.sandbox.stats().jobsCreated).toBe(0);
    expect(fx.sandbox.records('users')).toHaveLength(0);
  });

  it('the per-minute window: a 429 once the budget is spent, with Retry-After up to the window end', async () => {
    fx = await zendeskFixture({ requestsPerMinute: 2 });
    const first = await fx.session.applyBatch(upsert('users', [user('a')]));
    expect(first.rateLimit).toEqual({ max: 2, remaining: 0, windowMs: 60_000 });
    const error = await failure(fx.session.applyBatch(upsert('users', [user('b')])));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(fx.sandbox.stats().rateLimited).toBe(1);
  });

  it('a 429 without Retry-After (which node-zendesk throws) waits a whole window', async () => {
    fx = await zendeskFixture({ rateLimitNext: 1, omitRetryAfter: true });
    const error = await failure(fx.session.applyBatch(upsert('users', [user('a')])));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
  });

  it.each([500, 503, 502, 504])('a %i is a TransientError, never a success (node-zendesk resolves 502/504)', async (status) => {
    fx = await zendeskFixture({ failNext: 1, failStatus: status });
    const error = await failure(fx.session.applyBatch(upsert('users', [user('a')])));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe(`HTTP_${status}`);
    expect(fx.sandbox.stats().jobsCreated).toBe(0);
  });

  it('wrong credentials are an AuthError that says what to check; 403 too', async () => {
    fx = await zendeskFixture();
    const wrong = await zendeskConnector.open({ ...fx.options, apiToken: 'nope' }, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const error = await failure(wrong.applyBatch(upsert('users', [user('a')])));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/answered 401.*apiToken/);
    fx.sandbox.knobs.failNext = 1;
    fx.sandbox.knobs.failStatus = 403;
    await expect(fx.session.applyBatch(upsert('users', [user('a')]))).rejects.toBeInstanceOf(AuthError);
  });

  it('a 422 on the call fails every row of it with Zendesk\'s code and message', async () => {
    fx = await zendeskFixture({ failNext: 1, failStatus: 422 });
    const { results, calls } = await fx.session.applyBatch(upsert('users', [user('a'), user('b')]));
    expect(calls).toBe(1);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'failed', error: { code: 'RecordInvalid', field: 'base' } });
      expect(result.status === 'failed' && result.error.message).toContain('Injected validation failure');
    }
  });

  it('an unreachable Zendesk is a TransientError', async () => {
    const sandbox = await startZendeskSandbox();
    const options = { baseUrl: sandbox.url, email: 'a@b.c', apiToken: 't' };
    await sandbox.close();
    const session = await zendeskConnector.open(options, { rootDir: process.cwd(), sleep: systemClock.sleep });
    const error = await failure(session.applyBatch(upsert('users', [user('a')])));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('ECONNREFUSED');
  });

  it('while polling, rides out one 5xx and waits out a 429 instead of re-sending the job', async () => {
    // The job exists once the first wait is asked for; each test arms the sandbox at that moment.
    let arm: () => void = () => {};
    fx = await zendeskFixture({ pollsToComplete: 3 }, {}, async () => {
      arm();
      arm = () => {};
    });
    arm = () => (fx!.sandbox.knobs.failNext = 1);
    const result = await fx.session.applyBatch(upsert('users', [user('a')]));
    expect(result.results[0]?.status).toBe('ok');
    expect(fx.sandbox.stats().serverErrors).toBe(1);
    expect(result.calls).toBe(5); // create, a failed poll, three polls

    fx.sandbox.knobs.retryAfterSec = 3;
    arm = () => (fx!.sandbox.knobs.rateLimitNext = 1);
    const second = await fx.session.applyBatch(upsert('users', [user('b')]));
    expect(second.results[0]?.status).toBe('ok');
    expect(fx.sleeps).toContain(3000);
    expect(fx.sandbox.stats().rateLimited).toBe(1);
    expect(fx.sandbox.stats().jobsCreated).toBe(2);
  });
});
