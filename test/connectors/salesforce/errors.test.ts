import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceSession } from '../../../src/connectors/salesforce/index.ts';
import { TerminalError, TransientError } from '../../../src/core/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { account, batch, openSession, tokenOptions } from './helpers.ts';

let sandbox: SalesforceSandbox;
let session: SalesforceSession;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox();
  session = await openSession(tokenOptions(sandbox, { requestTimeoutMs: 300 }));
});
afterAll(async () => {
  await session.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  sandbox.knobs.delayMs = 0;
});

const upsert = (...keys: string[]) => batch('Account', 'upsert', 'External_Id__c', keys.map((k) => account(k)));

describe('whole-call failures', () => {
  it('UNABLE_TO_LOCK_ROW for the whole call is a TransientError with that code', async () => {
    sandbox.knobs.lockNextCalls = 1;
    const error = await session.applyBatch(upsert('A-1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('UNABLE_TO_LOCK_ROW');
    expect((await session.applyBatch(upsert('A-1'))).results[0]!.status).toBe('ok');
  });

  it('a 500 is transient and jsforce does not retry it by itself, even for a GET', async () => {
    sandbox.knobs.failNextCalls = 1;
    await expect(session.describe('Account')).rejects.toBeInstanceOf(TransientError);
    expect(sandbox.stats().requests['GET /sobjects/{type}/describe']).toBe(1);
    sandbox.knobs.failNextCalls = 1;
    await expect(session.applyBatch(upsert('A-2'))).rejects.toThrow(/UNKNOWN_EXCEPTION/);
    expect(sandbox.stats().requests['PATCH /composite/sobjects/{type}/{field}']).toBe(1);
  });

  it('a call that outlives requestTimeoutMs is a TransientError (the write may have happened)', async () => {
    sandbox.knobs.delayMs = 1_000;
    const error = await session.applyBatch(upsert('A-3')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('TIMEOUT');
    expect(sandbox.recordsBy('Account', 'External_Id__c').has('A-3')).toBe(true);
  });

  it('an upsert by a field that is not an External ID is a TerminalError that names matchOn', async () => {
    const error = await session.applyBatch(batch('Account', 'upsert', 'Name', [account('A-4')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toMatch(/Provided external ID field does not exist or is not accessible: Name.*matchOn/);
  });

  it('a refused connection is a TransientError', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const offline = await openSession({ instanceUrl: `http://127.0.0.1:${port}`, accessToken: 'x' });
    const error = await offline.applyBatch(upsert('A-5')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('rejects an unknown object before calling', async () => {
    await expect(session.applyBatch(batch('Acount', 'upsert', 'External_Id__c', [account('A-6')]))).rejects.toThrow(/not a known Salesforce standard object/);
    await expect(session.applyBatch(batch('account', 'upsert', 'External_Id__c', [account('A-6')]))).rejects.toThrow(/Did you mean "Account"/);
    expect(sandbox.stats().apiCalls).toBe(0);
  });
});
