import jsforce from 'jsforce';
import { describe, expect, it } from 'vitest';
import { jsforceAgainstSandbox } from './jsforce-sandbox.ts';

// The sandbox must work with jsforce's own API, not only with Ebb's connector.
const sf = jsforceAgainstSandbox();

describe('jsforce DML against the sandbox', () => {
  it('create, upsert, update and destroy arrays through sObject Collections', async () => {
    const created = await sf.conn.sobject('Account').create([{ Name: 'Acme', External_Id__c: 'E1' }, { Name: 'Globex', External_Id__c: 'E2' }], { allOrNone: false });
    expect(created.map((r) => r.success)).toEqual([true, true]);
    const upserted = await sf.conn.sobject('Account').upsert([{ External_Id__c: 'E1', Name: 'Acme 2' }, { External_Id__c: 'E3', Name: 'Initech' }], 'External_Id__c');
    expect(upserted).toMatchObject([{ success: true, created: false }, { success: true, created: true }]);
    const id1 = created[0]!.success ? created[0]!.id : '';
    const updated = await sf.conn.sobject('Account').update([{ Id: id1, NumberOfEmployees: 12 }]);
    expect(updated[0]).toMatchObject({ id: id1, success: true });
    const destroyed = await sf.conn.sobject('Account').destroy([id1]);
    expect(destroyed[0]).toMatchObject({ id: id1, success: true });
    expect(sf.sandbox.records('Account').map((r) => r['External_Id__c']).sort()).toEqual(['E2', 'E3']);
    expect(sf.conn.limitInfo.apiUsage).toEqual({ used: 4, limit: 100_000 });
  });

  it('rolls every record back with allOrNone, and refuses more than 200 records', async () => {
    const results = await sf.conn.sobject('Contact').create([{ LastName: 'Ok', Email: 'ok@example.com' }, { LastName: 'Bad', Email: 'bad' }], { allOrNone: true });
    expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }] });
    expect(sf.sandbox.records('Contact')).toEqual([]);
    const many = Array.from({ length: 201 }, (_, i) => ({ LastName: `L${i}` }));
    await expect(sf.conn.sobject('Contact').create(many)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
  });

  it('reads a top-level "type" on the wire as the Type field: field names ignore case, the object is attributes.type', async () => {
    const records = [{ attributes: { type: 'Account' }, Name: 'Acme', External_Id__c: 'T1', type: 'Customer' }];
    const results = await sf.conn.request<Array<{ success: boolean }>>({ method: 'POST', url: '/composite/sobjects', body: JSON.stringify({ allOrNone: false, records }), headers: { 'content-type': 'application/json' } });
    expect(results).toMatchObject([{ success: true }]);
    expect(sf.sandbox.recordsBy('Account', 'External_Id__c').get('T1')!['Type']).toBe('Customer');
  });

  it('describes objects and reports limits', async () => {
    const lead = await sf.conn.describe('Lead');
    const required = lead.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate).map((f) => f.name);
    expect(required.sort()).toEqual(['Company', 'LastName']);
    const limits = (await sf.conn.request('/limits')) as { DailyApiRequests: { Max: number; Remaining: number } };
    expect(limits.DailyApiRequests).toEqual({ Max: 100_000, Remaining: 100_000 - 2 });
    await expect(sf.conn.describe('Nope__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is spent', async () => {
    sf.sandbox.setApiUsage(100_000);
    await expect(sf.conn.describe('Account')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    expect(sf.conn.limitInfo.apiUsage).toEqual({ used: 100_000, limit: 100_000 });
  });
});

describe('jsforce Bulk API 2.0 against the sandbox', () => {
  it('runs loadAndWaitForResults end to end, with jsforce parsing the three result files', async () => {
    const results = await sf.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      input: [
        { External_Id__c: 'C1', LastName: 'Ann', Email: 'ann@example.com' },
        { External_Id__c: 'C2', LastName: 'Bob', Email: 'bad' },
        { External_Id__c: 'C3', LastName: 'Cy', Email: null },
      ],
      pollInterval: 5,
      pollTimeout: 5_000,
    });
    const successful = results.successfulResults as unknown as Array<Record<string, string>>;
    expect(successful.map((r) => r['External_Id__c']).sort()).toEqual(['C1', 'C3']);
    expect(results.failedResults).toEqual([expect.objectContaining({ External_Id__c: 'C2', sf__Error: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: bad:Email --' })]);
    expect(results.unprocessedRecords).toEqual([]);
    expect(sf.sandbox.recordsBy('Contact', 'External_Id__c').get('C3')).toMatchObject({ LastName: 'Cy' });
  });

  it('reads a #N/A cell as "set to null", as Salesforce documents; sObject Collections store it as text', async () => {
    await sf.conn.sobject('Account').create([{ Name: 'A', External_Id__c: 'N1', Description: 'before' }, { Name: 'B', External_Id__c: 'N2', Description: '#N/A' }]);
    expect(sf.sandbox.recordsBy('Account', 'External_Id__c').get('N2')!['Description']).toBe('#N/A');
    const job = sf.conn.bulk2.createJob({ object: 'Account', operation: 'upsert', externalIdFieldName: 'External_Id__c' });
    await job.open();
    await job.uploadData('External_Id__c,Description\nN1,#N/A\n');
    await job.close();
    await job.poll(5, 5_000);
    expect(sf.sandbox.recordsBy('Account', 'External_Id__c').get('N1')!['Description']).toBeNull();
  });

  it('lists the rows an aborted job never reached as unprocessed', async () => {
    sf.sandbox.knobs.bulkProcessLimit = 1;
    const job = sf.conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    await job.open();
    await job.uploadData([{ Name: 'A', External_Id__c: 'X1' }, { Name: 'B', External_Id__c: 'X2' }, { Name: 'C', External_Id__c: 'X3' }]);
    await job.close();
    await expect(job.poll(5, 5_000)).rejects.toThrow('Job has been aborted');
    sf.sandbox.knobs.bulkProcessLimit = null;
    const results = await job.getAllResults();
    expect(results.successfulResults).toHaveLength(1);
    const unprocessed = results.unprocessedRecords as unknown as Array<Record<string, string>>;
    expect(unprocessed.map((r) => r['External_Id__c']).sort()).toEqual(['X2', 'X3']);
    expect(sf.sandbox.records('Account')).toHaveLength(1);
  });
});

describe('jsforce OAuth refresh against the sandbox token endpoint', () => {
  it('refreshes an expired session itself and replays the call', async () => {
    const oauthConn = new jsforce.Connection({
      oauth2: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', loginUrl: sf.sandbox.url },
      instanceUrl: sf.sandbox.url,
      accessToken: 'expired-token',
      refreshToken: 'sandbox-refresh-token',
      version: '62.0',
    });
    let refreshed = '';
    oauthConn.on('refresh', (token: string) => (refreshed = token));
    const account = await oauthConn.describe('Account');
    expect(account.name).toBe('Account');
    expect(refreshed).toMatch(/^00DSb/);
    expect(sf.sandbox.stats().tokenGrants.refresh_token).toBe(1);
    expect(sf.sandbox.stats().sessionsRejected).toBe(1);
  });
});
