import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { snowflakeSource } from '../../../src/sources/snowflake/index.ts';

const keyPair = {
  account: 'xy12345.eu-west-1',
  username: 'EBB',
  privateKeyPath: 'keys/ebb.p8',
  privateKeyPassphrase: { $env: 'SNOWFLAKE_KEY_PASSPHRASE' },
  warehouse: 'REPORTING',
  role: 'EBB_READER',
  database: 'ANALYTICS',
  schema: 'MARTS',
};

describe('Snowflake source: connection options', () => {
  it('accepts key-pair, password and OAuth connections with secrets as env() references', () => {
    expect(snowflakeSource.validateOptions(keyPair)).toEqual([]);
    expect(snowflakeSource.validateOptions({ account: 'myorg-myaccount', username: 'EBB', password: { $env: 'SNOWFLAKE_PASSWORD' } })).toEqual([]);
    expect(snowflakeSource.validateOptions({ account: 'xy12345', username: 'EBB', token: 'oauth-token', accessUrl: 'https://proxy.internal:8443' })).toEqual([]);
  });

  it('asks for exactly one way to log in', () => {
    expect(snowflakeSource.validateOptions({ account: 'xy12345', username: 'EBB' })).toEqual([
      'set one way to log in: `password`, `privateKeyPath` (key-pair, recommended for services) or `token` (OAuth)',
    ]);
    expect(snowflakeSource.validateOptions({ ...keyPair, password: 'hunter2' })).toEqual(['set only one way to log in, not `password` and `privateKeyPath`']);
  });

  it('names the option at fault, with what a valid value looks like', () => {
    expect(snowflakeSource.validateOptions({ ...keyPair, account: 'https://xy12345.snowflakecomputing.com' })).toEqual([
      'account: account must look like `xy12345.eu-west-1` or `myorg-myaccount` (letters, digits, `_`, `.`, `-`)',
    ]);
    expect(snowflakeSource.validateOptions({ ...keyPair, accessUrl: 'http://127.0.0.1:8080/' })).toEqual([
      'accessUrl: accessUrl must not end with `/` (the driver would request `//session/...`)',
    ]);
    const { privateKeyPath: _path, ...noPath } = keyPair;
    expect(snowflakeSource.validateOptions({ ...noPath, password: 'x' })).toEqual(['privateKeyPassphrase: privateKeyPassphrase only applies together with privateKeyPath']);
    expect(snowflakeSource.validateOptions({ ...keyPair, warehous: 'TYPO' })).toEqual([expect.stringContaining('warehous')]);
  });

  it('refuses to open with options that do not validate, before loading the driver or touching the network', async () => {
    await expect(snowflakeSource.open({ account: 'xy12345', username: 'EBB' }, { rootDir: '/tmp' })).rejects.toMatchObject({
      code: 'SOURCE_INVALID_OPTIONS',
      message: expect.stringContaining('set one way to log in'),
    });
  });

  it('never loads snowflake-sdk for importing, validating, or refusing options (it probes cloud metadata on load)', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/snowflake-sdk/'));
    expect(loaded).toEqual([]);
  });
});
