import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { describeError, SourceError } from '../../core/errors.ts';
import { connectError } from './errors.ts';
import type { SnowflakeAuth, SnowflakeOptions } from './options.ts';
import { loadSnowflakeSdk } from './sdk.ts';

/**
 * Login attempts the driver makes for retryable failures (5xx, refused connections). Its default of
 * 7 with backoff up to 16 s keeps an unreachable host hanging for minutes; the engine retries a
 * failed run itself, so the driver gives up quickly and says why.
 */
const LOGIN_RETRIES = 1;

export async function connectSnowflake(options: SnowflakeOptions): Promise<Connection> {
  const sdk = await loadSnowflakeSdk();
  const connectionOptions: ConnectionOptions = {
    account: options.account,
    username: options.username,
    application: 'Ebb',
    // Null cells stay null even for types fetched as strings (the driver's default is the text 'NULL').
    representNullAsStringNull: false,
    sfRetryMaxLoginRetries: LOGIN_RETRIES,
    // Rows the driver buffers ahead of the reader; bounded, and far fewer stream round-trips than its default of 10.
    rowStreamHighWaterMark: 1000,
    ...(options.accessUrl ? { accessUrl: options.accessUrl } : {}),
    ...(options.warehouse ? { warehouse: options.warehouse } : {}),
    ...(options.role ? { role: options.role } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    ...(await credentials(options.auth)),
  };
  let connection: Connection;
  try {
    connection = sdk.createConnection(connectionOptions);
  } catch (error) {
    throw new SourceError(`invalid Snowflake connection options: ${describeError(error)}`, { code: 'SOURCE_INVALID_OPTIONS', cause: error });
  }
  // connect() rather than connectAsync(): the latter resolves even when the login fails and only
  // hands the error to its callback.
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(connectError(error, options)) : resolve(connection)));
  });
}

async function credentials(auth: SnowflakeAuth): Promise<Partial<ConnectionOptions>> {
  switch (auth.method) {
    case 'password':
      return { authenticator: 'SNOWFLAKE', password: auth.password };
    case 'oauth':
      return { authenticator: 'OAUTH', token: auth.token };
    case 'key-pair':
      return { authenticator: 'SNOWFLAKE_JWT', privateKey: await decryptedPrivateKey(auth.privateKeyPath, auth.privateKeyPassphrase) };
  }
}

/**
 * Reads and decrypts the key here rather than in the driver, so a missing file or a wrong
 * passphrase is reported as such instead of as a failed login.
 */
async function decryptedPrivateKey(path: string, passphrase: string | undefined): Promise<string> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (error) {
    throw new SourceError(
      `cannot read the Snowflake private key at ${path}: ${describeError(error)}\nHint: privateKeyPath is relative to the project root.`,
      { code: 'SOURCE_INVALID_OPTIONS', cause: error },
    );
  }
  try {
    const key = createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch (error) {
    const encrypted = pem.includes('ENCRYPTED');
    const hint = encrypted
      ? passphrase === undefined ? 'the key is encrypted: set privateKeyPassphrase' : 'check privateKeyPassphrase: it does not decrypt this key'
      : 'privateKeyPath must point to a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----)';
    throw new SourceError(`cannot load the Snowflake private key at ${path}: ${describeError(error)}\nHint: ${hint}.`, {
      code: 'SNOWFLAKE_AUTH',
      cause: error,
    });
  }
}
