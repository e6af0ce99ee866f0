import jsforce from 'jsforce';
import { setDefaults } from 'jsforce/lib/request.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';

export interface JsforceSandbox {
  sandbox: SalesforceSandbox;
  /** jsforce's own client, as a user's script would make it, pointed at the sandbox. */
  conn: jsforce.Connection;
}

/** One sandbox for the file, emptied before each test, and a jsforce connection to it (filled in beforeAll). */
export function jsforceAgainstSandbox(): JsforceSandbox {
  const context = {} as JsforceSandbox;
  beforeAll(async () => {
    setDefaults({ followRedirect: true, retry: { maxRetries: 0 } });
    context.sandbox = await startSalesforceSandbox();
    context.conn = new jsforce.Connection({ instanceUrl: context.sandbox.url, accessToken: context.sandbox.accessToken, version: '62.0' });
  });
  afterAll(() => context.sandbox.close());
  beforeEach(() => context.sandbox.reset());
  return context;
}
