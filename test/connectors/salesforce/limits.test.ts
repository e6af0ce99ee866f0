import { afterEach, describe, expect, it } from 'vitest';
import { QuotaExhaustedError, RateLimitedError } from '../../../src/core/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { account, batch, openSession, tokenOptions } from './helpers.ts';

// Usage is tracked per org (instance URL), so each test gets its own sandbox, i.e. its own org.
let sandbox: SalesforceSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const upsert = (keys: string[]) => batch('Account', 'upsert', 'External_Id__c', keys.map((k) => account(k)));

describe('daily API budget', () => {
  it('stops with QuotaExhaustedError once usage reaches dailyBudgetPercent, without calling again', async () => {
    sandbox = await startSalesforceSandbox({ dailyAllocation: 1_000, apiUsage: 798 });
    const session = await openSession(tokenOptions(sandbox, { dailyBudgetPercent: 80 }));
    // 799 and 800 of 1,000 are still sent: the budget is checked before a call, against the last reading.
    expect((await session.applyBatch(upsert(['Q-1']))).results[0]!.status).toBe('ok');
    expect((await session.applyBatch(upsert(['Q-2']))).results[0]!.status).toBe('ok');
    const error = await session.applyBatch(upsert(['Q-3'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as Error).message).toMatch(/800 of the org's 1,000 daily API requests are used \(80\.0%\)/);
    expect((error as Error).message).toMatch(/80% share \(dailyBudgetPercent\).*remaining rows stay pending/);
    expect(sandbox.apiUsage().used).toBe(800);
    expect(sandbox.recordsBy('Account', 'External_Id__c').has('Q-3')).toBe(false);
  });

  it('another connection to the same org stops too, before its first call', async () => {
    sandbox = await startSalesforceSandbox({ dailyAllocation: 100, apiUsage: 95 });
    const first = await openSession(tokenOptions(sandbox, { dailyBudgetPercent: 90 }));
    await first.applyBatch(upsert(['S-1']));
    const second = await openSession(tokenOptions(sandbox, { dailyBudgetPercent: 90, budgetRecheckMs: 3_600_000 }));
    await expect(second.applyBatch(upsert(['S-2']))).rejects.toBeInstanceOf(QuotaExhaustedError);
    expect(sandbox.stats().apiCalls).toBe(1);
  });

  it('re-reads /limits once the reading is old and carries on when usage rolled off', async () => {
    sandbox = await startSalesforceSandbox({ dailyAllocation: 100, apiUsage: 89 });
    const session = await openSession(tokenOptions(sandbox, { dailyBudgetPercent: 90, budgetRecheckMs: 0 }));
    await session.applyBatch(upsert(['W-1']));
    sandbox.setApiUsage(10);
    const result = await session.applyBatch(upsert(['W-2']));
    expect(result.results[0]!.status).toBe('ok');
    expect(result.calls).toBe(2);
    expect(sandbox.stats().requests['GET /limits']).toBe(1);
    expect(result.rateLimit).toEqual({ dailyRemaining: 88 });
  });

  it('REQUEST_LIMIT_EXCEEDED for the spent daily allocation is QuotaExhaustedError', async () => {
    sandbox = await startSalesforceSandbox({ dailyAllocation: 50, apiUsage: 50 });
    const session = await openSession(tokenOptions(sandbox, { dailyBudgetPercent: 100 }));
    const error = await session.applyBatch(upsert(['X-1'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).code).toBe('REQUEST_LIMIT_EXCEEDED');
    expect((error as Error).message).toMatch(/TotalRequests Limit exceeded.*daily API allocation is used up/);
    expect(sandbox.stats().limitExceeded).toBe(1);
  });

  it('REQUEST_LIMIT_EXCEEDED for concurrent long-running requests is a RateLimitedError', async () => {
    sandbox = await startSalesforceSandbox({ concurrencyLimitNextCalls: 1 });
    const session = await openSession(tokenOptions(sandbox));
    const error = await session.applyBatch(upsert(['Y-1'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect((await session.applyBatch(upsert(['Y-1']))).results[0]!.status).toBe('ok');
  });
});
