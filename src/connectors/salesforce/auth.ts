import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuthError, TransientError, describeError } from '../../core/errors.ts';
import { isNetworkError } from '../http/classify.ts';
import { JWT_BEARER_GRANT, signJwtAssertion } from './jwt.ts';
import type { AuthMode } from './options.ts';

export interface Credentials {
  accessToken: string;
  /** The instance the token response named; undefined for a bare access token. */
  instanceUrl?: string;
}

/** Obtains access tokens for one connection: the first one, and fresh ones when Salesforce says a session expired. */
export interface Authenticator {
  readonly canRefresh: boolean;
  initial(): Promise<Credentials>;
  refresh(): Promise<Credentials>;
}

interface TokenResponse {
  access_token?: string;
  instance_url?: string;
}

/** jsforce's OAuth2 client, loaded with the rest of jsforce. */
export interface OAuth2Like {
  refreshToken(token: string): Promise<TokenResponse>;
  requestToken(params: { grant_type: string; [name: string]: string }): Promise<TokenResponse>;
}
export type OAuth2Factory = (config: { loginUrl: string; clientId?: string; clientSecret?: string }) => OAuth2Like;

/** Token endpoint errors arrive as `Error` named after the OAuth code (`invalid_grant`) with the description as message. */
function grantFailure(error: unknown, flow: string, next: string): Error {
  if (isNetworkError(error) || (error as { name?: string }).name === 'FetchError') {
    return new TransientError(`Salesforce token endpoint unreachable during the ${flow} flow: ${describeError(error)}`, { cause: error });
  }
  const code = (error as { name?: string }).name ?? 'Error';
  return new AuthError(`Salesforce refused the ${flow} login (${code}: ${describeError(error)}). ${next}`, { cause: error, code: 'SALESFORCE_LOGIN_REFUSED' });
}

function credentialsFrom(response: TokenResponse, flow: string): Credentials {
  if (!response.access_token) throw new AuthError(`Salesforce's ${flow} token response had no access_token`);
  return response.instance_url ? { accessToken: response.access_token, instanceUrl: response.instance_url } : { accessToken: response.access_token };
}

export function createAuthenticator(mode: AuthMode, rootDir: string, oauth2: OAuth2Factory): Authenticator {
  if (mode.kind === 'token') {
    return {
      canRefresh: false,
      initial: async () => ({ accessToken: mode.accessToken }),
      refresh: async () => {
        throw new AuthError('Salesforce rejected the access token (INVALID_SESSION_ID) and a bare accessToken cannot be refreshed: give a fresh token, or configure clientId + refreshToken or the JWT bearer flow so Ebb can renew sessions itself', { code: 'INVALID_SESSION_ID' });
      },
    };
  }
  if (mode.kind === 'refresh') {
    const client = oauth2({ loginUrl: mode.loginUrl, clientId: mode.clientId, ...(mode.clientSecret ? { clientSecret: mode.clientSecret } : {}) });
    const refresh = async (): Promise<Credentials> => {
      try {
        return credentialsFrom(await client.refreshToken(mode.refreshToken), 'refresh-token');
      } catch (error) {
        if (error instanceof AuthError) throw error;
        throw grantFailure(error, 'OAuth refresh-token', 'Check clientId/clientSecret and issue a new refreshToken for the connected app.');
      }
    };
    return { canRefresh: true, initial: async () => (mode.accessToken ? { accessToken: mode.accessToken } : refresh()), refresh };
  }
  const client = oauth2({ loginUrl: mode.loginUrl });
  let privateKeyPem: string | undefined;
  const refresh = async (): Promise<Credentials> => {
    const keyPath = resolve(rootDir, mode.privateKeyPath);
    try {
      privateKeyPem ??= await readFile(keyPath, 'utf8');
    } catch (error) {
      throw new AuthError(`cannot read the JWT private key at ${keyPath} (privateKeyPath is relative to the project root): ${describeError(error)}`, { cause: error });
    }
    let assertion: string;
    try {
      assertion = signJwtAssertion({ clientId: mode.clientId, username: mode.username, audience: mode.loginUrl, privateKeyPem, ...(mode.privateKeyPassphrase ? { passphrase: mode.privateKeyPassphrase } : {}) });
    } catch (error) {
      throw new AuthError(`cannot sign the JWT with the key at ${keyPath}: ${describeError(error)}; it must be the connected app's PEM RSA private key`, { cause: error });
    }
    try {
      return credentialsFrom(await client.requestToken({ grant_type: JWT_BEARER_GRANT, assertion }), 'JWT bearer');
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw grantFailure(error, 'JWT bearer', "Check that the connected app's certificate matches privateKeyPath, that the user is pre-authorised, and that loginUrl is the audience the app expects.");
    }
  };
  return { canRefresh: true, initial: async () => (mode.accessToken ? { accessToken: mode.accessToken } : refresh()), refresh };
}
