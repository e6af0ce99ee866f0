import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchItem, ItemResult } from '../../../src/connectors/connector.ts';
import { salesforceConnector, type SalesforceSession } from '../../../src/connectors/salesforce/index.ts';
import { TerminalError, TransientError } from '../../../src/core/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { account, batch, item, openSession, tokenOptions } from './helpers.ts';

let sandbox: SalesforceSandbox;
let session: SalesforceSession;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox();
  session = await openSession(tokenOptions(sandbox, { bulkPollTimeoutMs: 100, bulkPollIntervalMs: 10 }));
});
afterAll(async () => {
  await session.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  Object.assign(sandbox.knobs, { bulkProcessLimit: null, bulkDropResultRows: 0, bulkPollsBeforeComplete: 2, bulkFailNextJob: null });
});

const key = (i: number) => `B-${String(i).padStart(5, '0')}`;

describe('Bulk API 2.0 path', () => {
  it('declares the bulk path and takes it for batches above the collections maximum', () => {
    const caps = salesforceConnector.capabilities('Account', { bulkThreshold: 2_000 });
    expect(caps.maxBatchSize.upsert).toBe(200);
    expect(caps.bulk).toEqual({ threshold: 2_000, maxBatchSize: 10_000 });
    expect(salesforceConnector.capabilities('Account', {}).bulk?.threshold).toBe(10_000);
  });

  it('accounts for all 25,000 rows of a job (successful + failed + unprocessed), each mapped to its key', async () => {
    const total = 25_000;
    // Every 997th row lacks the required Name; the job is cut off after 24,000 rows (as when aborted).
    const bad = (i: number) => i % 997 === 0;
    sandbox.knobs.bulkProcessLimit = 24_000;
    const items: BatchItem[] = Array.from({ length: total }, (_, i) => account(key(i), bad(i) ? null : `Company, "${i}"`, { NumberOfEmployees: i }));
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));

    expect(result.results).toHaveLength(total);
    expect(sandbox.stats().bulkJobSizes).toEqual([total]);
    expect(sandbox.stats().collectionSizes).toEqual([]);
    // create, upload, close, 3 status polls, 3 result files
    expect(result.calls).toBe(9);
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    const counts = { ok: 0, failed: 0, unprocessed: 0 };
    result.results.forEach((r: ItemResult, i) => {
      if (i >= 24_000) {
        expect(r).toMatchObject({ status: 'failed', error: { code: 'UNPROCESSED', retryable: true } });
        expect(stored.has(key(i))).toBe(false);
        counts.unprocessed += 1;
      } else if (bad(i)) {
        expect(r).toMatchObject({ status: 'failed', error: { code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', field: 'Name' } });
        counts.failed += 1;
      } else {
        expect(r).toEqual({ status: 'ok', remoteId: stored.get(key(i))!['Id'] });
        expect(stored.get(key(i))!['NumberOfEmployees']).toBe(i);
        counts.ok += 1;
      }
    });
    const failedExpected = Array.from({ length: 24_000 }, (_, i) => i).filter(bad).length;
    expect(counts).toEqual({ ok: 24_000 - failedExpected, failed: failedExpected, unprocessed: 1_000 });
    expect(stored.get(key(1))!['Name']).toBe('Company, "1"');

    // The unprocessed rows are proposed again next run and go through.
    sandbox.knobs.bulkProcessLimit = null;
    const rerun = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items.slice(24_000)));
    rerun.results.forEach((r, j) => expect(r.status).toBe(bad(24_000 + j) ? 'failed' : 'ok'));
    expect(sandbox.createsPerKey('Account').get(key(24_500))).toBe(1);
  });

  it('throws a TerminalError naming the keys when result files do not account for every row', async () => {
    sandbox.knobs.bulkDropResultRows = 3;
    sandbox.knobs.bulkResultOrder = 'input';
    const items = Array.from({ length: 250 }, (_, i) => account(key(i)));
    const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items)).catch((e: unknown) => e);
    sandbox.knobs.bulkResultOrder = 'shuffled';
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as TerminalError).code).toBe('BULK_RESULTS_INCOMPLETE');
    expect((error as Error).message).toContain('successful 247 + failed 0 + unprocessed 0 = 247, but 250 rows were uploaded');
    expect((error as Error).message).toContain('No result for External_Id__c B-00000, B-00001, B-00002');
  });

  it('updates and deletes by Id in bulk; null clears a field, awkward text survives the CSV', async () => {
    const awkward = ['comma, inside', 'quote " inside', 'line\nbreak', '  padded  ', 'naïve café ☕'];
    const created = await session.applyBatch(batch('Account', 'create', 'External_Id__c', Array.from({ length: 300 }, (_, i) => account(key(i), awkward[i % 5]!, { Website: 'https://x.example' }))));
    expect(created.results.every((r) => r.status === 'ok')).toBe(true);
    const ids = created.results.map((r) => (r.status === 'ok' ? r.remoteId! : ''));
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    ids.forEach((id, i) => expect(stored.get(key(i))).toMatchObject({ Id: id, Name: awkward[i % 5] }));

    const updates = ids.map((id, i) => item(key(i), { Name: `Updated ${i}`, Website: null }, i === 7 ? null : id));
    const updated = await session.applyBatch(batch('Account', 'update', 'External_Id__c', updates));
    expect(updated.results[7]).toMatchObject({ status: 'failed', error: { code: 'MISSING_REMOTE_ID' } });
    expect(updated.results.filter((r) => r.status === 'ok')).toHaveLength(299);
    expect(sandbox.recordsBy('Account', 'External_Id__c').get(key(8))).toMatchObject({ Name: 'Updated 8', Website: null });

    const deleted = await session.applyBatch(batch('Account', 'delete', 'External_Id__c', ids.map((id, i) => item(key(i), {}, id))));
    expect(deleted.results.map((r) => r.status)).toEqual(ids.map(() => 'ok'));
    expect(sandbox.records('Account')).toEqual([]);
    expect(sandbox.stats().bulkJobSizes).toEqual([300, 299, 300]);
  });

  it('a job that fails before processing anything is a TerminalError with Salesforce\'s reason', async () => {
    sandbox.knobs.bulkFailNextJob = 'InvalidBatch : Field name not found : Foo__c';
    const error = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', Array.from({ length: 201 }, (_, i) => account(key(i))))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toContain('Field name not found : Foo__c');
  });

  it('gives up polling after bulkPollTimeoutMs: transient for upserts, terminal for inserts', async () => {
    sandbox.knobs.bulkPollsBeforeComplete = 1_000;
    const items = Array.from({ length: 201 }, (_, i) => account(key(i)));
    const upsert = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items)).catch((e: unknown) => e);
    expect(upsert).toBeInstanceOf(TransientError);
    expect((upsert as Error).message).toMatch(/still InProgress .* Re-sending this upsert is safe/);
    const insert = await session.applyBatch(batch('Account', 'create', 'External_Id__c', items.map((it) => account(`${it.key}-new`)))).catch((e: unknown) => e);
    expect(insert).toBeInstanceOf(TerminalError);
    expect((insert as Error).message).toMatch(/could duplicate records/);
  });

  it('rejects a mapped sf__ column before anything is sent', async () => {
    const items = Array.from({ length: 201 }, (_, i) => account(key(i), 'x', { sf__Error: 'no' }));
    await expect(session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items))).rejects.toThrow(/sf__Error.*collides with Bulk API result columns/);
    expect(sandbox.stats().apiCalls).toBe(0);
  });

  it('sends a mapped Type (Account.Type) as a column of the job', async () => {
    const items = Array.from({ length: 250 }, (_, i) => account(key(i), 'Acme', { Type: i % 2 === 0 ? 'Customer' : 'Partner' }));
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));
    expect(result.results.every((r) => r.status === 'ok')).toBe(true);
    expect(sandbox.stats().bulkJobSizes).toEqual([250]);
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    expect(stored.get(key(0))!['Type']).toBe('Customer');
    expect(stored.get(key(1))!['Type']).toBe('Partner');
  });

  it('joins a list with ";" for a multi-select picklist in the CSV too', async () => {
    const fresh = await openSession(tokenOptions(sandbox, { bulkPollIntervalMs: 10 }));
    const items = Array.from({ length: 250 }, (_, i) => account(key(i), 'Acme', { Regions__c: i === 0 ? [] : ['EMEA', 'APAC'], Description: ['x', 'y'] }));
    const result = await fresh.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));
    expect(result.results.every((r) => r.status === 'ok')).toBe(true);
    // describe, then create, upload, close, 3 status polls, 3 result files
    expect(result.calls).toBe(10);
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    expect(stored.get(key(1))).toMatchObject({ Regions__c: 'EMEA;APAC', Description: '["x","y"]' });
    expect(stored.get(key(0))!['Regions__c']).toBeNull();
    await fresh.close();
  });

  it('fails, unsent, the rows holding the text #N/A (Bulk API would clear the field) and delivers the rest', async () => {
    // The sandbox reads #N/A in a CSV cell as "clear", as Salesforce does: the stored Description would be lost.
    await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', [account(key(3), 'Acme', { Description: 'keep me' })]));
    const items = Array.from({ length: 250 }, (_, i) =>
      account(key(i), 'Acme', { Description: i === 3 || i === 4 ? '#N/A' : i === 5 ? null : 'text', BillingCity: i === 4 ? '#N/A' : 'Paris' }),
    );
    const result = await session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items));
    expect(sandbox.stats().bulkJobSizes).toEqual([248]);
    expect(result.results[3]).toMatchObject({ status: 'failed', error: { code: 'NA_TEXT_IN_BULK', field: 'Description', retryable: false } });
    const failed = result.results[4]!;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'NA_TEXT_IN_BULK', field: 'Description' } });
    if (failed.status === 'failed') {
      expect(failed.error.message).toContain('reads it as "clear this field"');
      expect(failed.error.message).toContain('(fields: Description, BillingCity)');
      expect(failed.error.message).toMatch(/raise bulkThreshold .* or change the value in the model/);
    }
    expect(result.results.filter((r) => r.status === 'ok')).toHaveLength(248);
    const stored = sandbox.recordsBy('Account', 'External_Id__c');
    expect(stored.get(key(3))!['Description']).toBe('keep me');
    expect(stored.has(key(4))).toBe(false);
    // null still clears: the CSV's own #N/A, which is what it means.
    expect(stored.get(key(5))!['Description']).toBeNull();
    expect(stored.get(key(6))!['Description']).toBe('text');
  });

  it('refuses a mapped Id before a job is created', async () => {
    const items = Array.from({ length: 201 }, (_, i) => account(key(i), 'x', { Id: '001000000000001AAA' }));
    await expect(session.applyBatch(batch('Account', 'upsert', 'External_Id__c', items))).rejects.toThrow(/"Id" cannot be mapped/);
    expect(sandbox.stats().apiCalls).toBe(0);
  });
});
