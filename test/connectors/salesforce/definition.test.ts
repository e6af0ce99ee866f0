import { describe, expect, it } from 'vitest';
import { salesforceConnector } from '../../../src/connectors/salesforce/index.ts';

describe('salesforce connector definition', () => {
  it('accepts each of the three logins', () => {
    expect(salesforceConnector.validateOptions({ accessToken: 't', instanceUrl: 'https://acme.my.salesforce.com' })).toEqual([]);
    expect(salesforceConnector.validateOptions({ clientId: 'c', clientSecret: 's', refreshToken: 'r' })).toEqual([]);
    expect(salesforceConnector.validateOptions({ clientId: 'c', username: 'u@acme.test', privateKeyPath: 'keys/sf.pem', loginUrl: 'https://test.salesforce.com' })).toEqual([]);
  });

  it('explains what is missing or malformed', () => {
    expect(salesforceConnector.validateOptions({})).toEqual([expect.stringMatching(/give accessToken \+ instanceUrl, or clientId \+ refreshToken/)]);
    expect(salesforceConnector.validateOptions({ accessToken: 't' })).toEqual([expect.stringMatching(/accessToken needs instanceUrl/)]);
    expect(salesforceConnector.validateOptions({ accessToken: 't', baseUrl: 'ftp://x', apiVersion: '41.0', dailyBudgetPercent: 120 })).toEqual([
      'baseUrl must be an http(s) URL, e.g. https://acme.my.salesforce.com',
      'apiVersion must be 46.0 or later: sObject Collections upsert needs it',
      'dailyBudgetPercent must be a number from 1 to 100',
    ]);
  });

  it('allows standard objects it knows, any custom object, and extra objects by option', () => {
    for (const object of ['Account', 'Contact', 'Lead', 'Customer__c', 'ns__Thing__c']) expect(() => salesforceConnector.capabilities(object, {})).not.toThrow();
    expect(() => salesforceConnector.capabilities('Territory2', {})).toThrow(/add it to the connection's objects option/);
    expect(() => salesforceConnector.capabilities('Territory2', { objects: ['Territory2'] })).not.toThrow();
  });

  it('keys the limiter by org and user without secrets, and paces under the concurrency limit', () => {
    const token = { accessToken: '00Dxx!secret', instanceUrl: 'https://acme.my.salesforce.com/' };
    expect(salesforceConnector.accountKey(token)).toMatch(/^salesforce:https:\/\/acme\.my\.salesforce\.com:[0-9a-f]{12}$/);
    expect(salesforceConnector.accountKey(token)).not.toContain('secret');
    expect(salesforceConnector.accountKey({ clientId: 'c', username: 'u@acme.test', privateKeyPath: 'k', instanceUrl: 'https://acme.my.salesforce.com' })).toBe(
      'salesforce:https://acme.my.salesforce.com:u@acme.test',
    );
    const fromEnv = { accessToken: { $env: 'SF_TOKEN' }, instanceUrl: { $env: 'SF_URL' } };
    expect(salesforceConnector.accountKey(fromEnv)).toMatch(/^salesforce:\$env:SF_URL:[0-9a-f]{12}$/);
    expect(salesforceConnector.validateOptions({ accessToken: '<env SF_TOKEN>', instanceUrl: '<env SF_URL>' })).toEqual([]);
    expect(salesforceConnector.rateBudget({})).toEqual({ requests: 25, windowMs: 1_000, maxConcurrent: 10 });
  });
});
