import { describe, expect, it } from 'vitest';
import { connectionOptions, loadProject, looksSecret, MissingSecretsError, resolveSecrets } from '../../src/config/index.ts';
import { testKinds, VALID_FIXTURE } from './support.ts';

describe('looksSecret', () => {
  it('matches credential names by their ending, ignoring case, _ and -', () => {
    const secret = ['token', 'accessToken', 'refresh_token', 'clientSecret', 'PASSWORD', 'privateKey', 'private-key-passphrase', 'apiKey', 'api_token'];
    const notSecret = ['privateKeyPath', 'tokenUrl', 'baseUrl', 'user', 'account', 'passwordFile', 'kind'];
    expect(secret.filter((name) => !looksSecret(name))).toEqual([]);
    expect(notSecret.filter(looksSecret)).toEqual([]);
  });
});

describe('resolveSecrets', () => {
  it('replaces env references at any depth and leaves the input untouched', () => {
    const options = { baseUrl: 'http://127.0.0.1:4010', accessToken: { $env: 'HS_TOKEN' }, oauth: { clientSecret: { $env: 'HS_SECRET' } }, hosts: [{ $env: 'HS_HOST' }] };
    const resolved = resolveSecrets(options, { HS_TOKEN: 'pat-1', HS_SECRET: 's3', HS_HOST: 'eu1' });
    expect(resolved).toEqual({ baseUrl: 'http://127.0.0.1:4010', accessToken: 'pat-1', oauth: { clientSecret: 's3' }, hosts: ['eu1'] });
    expect(options.accessToken).toEqual({ $env: 'HS_TOKEN' });
  });

  it('names every missing or empty variable in one error', () => {
    const options = { accessToken: { $env: 'A_TOKEN' }, password: { $env: 'B_PASSWORD' }, again: { $env: 'A_TOKEN' }, user: { $env: 'C_USER' } };
    let thrown: unknown;
    try {
      resolveSecrets(options, { B_PASSWORD: '', C_USER: 'ebb' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingSecretsError);
    const error = thrown as MissingSecretsError;
    expect(error.code).toBe('MISSING_SECRET');
    expect(error.variables).toEqual(['A_TOKEN', 'B_PASSWORD']);
    expect(error.message).toContain('A_TOKEN, B_PASSWORD are not set');
  });

  it('resolves the references of a loaded connection only when asked', async () => {
    const result = await loadProject(VALID_FIXTURE, testKinds);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const hubspot = result.config.connections.hubspot;
    if (!hubspot) throw new Error('the fixture defines a hubspot connection');
    const options = connectionOptions(hubspot);
    expect(options).toEqual({ accessToken: { $env: 'HUBSPOT_TOKEN' }, baseUrl: 'http://127.0.0.1:4010' });
    expect(resolveSecrets(options, { HUBSPOT_TOKEN: 'pat-na1-xyz' })).toEqual({ accessToken: 'pat-na1-xyz', baseUrl: 'http://127.0.0.1:4010' });
    expect(() => resolveSecrets(options, {})).toThrow(/HUBSPOT_TOKEN is not set/);
  });
});
