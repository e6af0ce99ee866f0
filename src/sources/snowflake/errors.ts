import { describeError, SourceError } from '../../core/errors.ts';
import { sqlIdentifier, sqlString, type JsonAsText } from '../normalise/json.ts';
import type { SnowflakeAuth, SnowflakeOptions } from './options.ts';

/** Login refusals Snowflake answers with (bad password, bad JWT, bad or expired OAuth token, locked user). */
const AUTH_CODES = new Set(['390100', '390101', '390102', '390144', '390303', '390318', '390190', '390422']);
/** The driver's "could not connect" code (HTTP layer after its retries). */
const NETWORK_CODES = new Set(['401001']);
/** The driver's codes for a result chunk it could not download from cloud storage, after its own retries. */
const CHUNK_DOWNLOAD_CODES = new Set(['402001', '402002']);
const NETWORK_CAUSES = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/i;
/** The session is gone for good: token invalid, session deleted, master token expired, connection terminated. */
const SESSION_GONE_CODES = new Set(['390104', '390111', '390114', '407002']);
/** Snowflake's "statement reached its timeout" and "execution canceled". */
const TIMEOUT_CODES = new Set(['000630', '000604']);

/** A failed Snowflake statement, with Snowflake's own error code, SQLSTATE and query id. */
export class SnowflakeQueryError extends SourceError {
  readonly snowflakeCode: string;
  readonly sqlState: string | undefined;
  readonly queryId: string | undefined;

  constructor(message: string, details: { code: string; snowflakeCode: string; sqlState?: string; queryId?: string; cause: unknown }) {
    super(message, { code: details.code, cause: details.cause });
    this.snowflakeCode = details.snowflakeCode;
    this.sqlState = details.sqlState;
    this.queryId = details.queryId;
  }
}

interface DriverError {
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  data?: { queryId?: unknown };
  cause?: unknown;
}

export function connectError(error: unknown, options: SnowflakeOptions): SourceError {
  if (error instanceof SourceError) return error;
  const driver = (error ?? {}) as DriverError;
  const code = String(driver.code ?? '');
  const where = `user ${options.username} on account ${options.account}`;
  if (AUTH_CODES.has(code)) {
    return new SourceError(
      `Snowflake refused the login of ${where}: ${describeError(error)} (${code}).\nHint: ${authHint(options.auth)}`,
      { code: 'SNOWFLAKE_AUTH', cause: error },
    );
  }
  if (isNetworkFailure(driver)) return unreachable(error, options);
  return new SourceError(`Snowflake login of ${where} failed: ${describeError(error)}${code ? ` (${code})` : ''}`, { code: 'SOURCE_CONNECTION', cause: error });
}

export function queryError(error: unknown, options: SnowflakeOptions): SourceError {
  if (error instanceof SourceError) return error;
  const driver = (error ?? {}) as DriverError;
  const code = String(driver.code ?? '');
  if (CHUNK_DOWNLOAD_CODES.has(code)) return chunkDownloadFailed(error, code);
  if (isNetworkFailure(driver)) return unreachable(error, options);
  if (SESSION_GONE_CODES.has(code)) {
    return new SourceError(
      `the Snowflake session ended and could not be renewed: ${describeError(error)} (${code}).\nHint: run again; a new session logs in afresh.`,
      { code: 'SOURCE_CONNECTION', cause: error },
    );
  }
  const sqlState = driver.sqlState === undefined ? undefined : String(driver.sqlState);
  const queryId = driver.data?.queryId === undefined ? undefined : String(driver.data.queryId);
  if (!/^\d{6}$/.test(code) || code.startsWith('40')) {
    // A driver-side failure (bad response, terminated connection) rather than a Snowflake SQL error.
    return new SourceError(`Snowflake query failed: ${describeError(error)}${code ? ` (${code})` : ''}`, { code: 'SOURCE_QUERY', cause: error });
  }
  const context = [sqlState && `SQLSTATE ${sqlState}`, queryId && `query ${queryId}`].filter(Boolean).join(', ');
  const timedOut = TIMEOUT_CODES.has(code);
  const hint = timedOut ? '\nHint: raise `readTimeout` on the sync or in `defaults`, or make the model query cheaper.' : '';
  return new SnowflakeQueryError(`Snowflake error ${code}${context ? ` (${context})` : ''}: ${describeError(error)}${hint}`, {
    code: timedOut ? 'SOURCE_TIMEOUT' : code,
    snowflakeCode: code,
    ...(sqlState !== undefined ? { sqlState } : {}),
    ...(queryId !== undefined ? { queryId } : {}),
    cause: error,
  });
}

function authHint(auth: SnowflakeAuth): string {
  switch (auth.method) {
    case 'password':
      return 'check `username` and `password` (and `account`) in the Snowflake connection options.';
    case 'key-pair':
      return 'check that `privateKeyPath` holds the private key whose public key is registered for this user '
        + '(ALTER USER … SET RSA_PUBLIC_KEY = …), and that `username` and `account` are right.';
    case 'oauth':
      return 'check the OAuth `token`: it may be invalid or expired, or issued for another user.';
  }
}

function isNetworkFailure(driver: DriverError): boolean {
  if (NETWORK_CODES.has(String(driver.code ?? ''))) return true;
  return NETWORK_CAUSES.test(`${String(driver.message ?? '')} ${describeError(driver.cause)}`);
}

/**
 * Snowflake hands large results out as chunks in cloud storage (S3, Azure Blob, GCS), another host
 * than the account's: a network that lets queries through can still block or break their results.
 */
function chunkDownloadFailed(error: unknown, code: string): SourceError {
  const status = (error as { response?: { statusCode?: unknown } }).response?.statusCode;
  const codes = status === undefined ? code : `HTTP ${String(status)}, ${code}`;
  return new SourceError(
    `Snowflake could not download a chunk of the query's result: ${describeError(error)} (${codes}); nothing was planned from the partial result.\n`
      + 'Hint: run the plan again. If it keeps failing, check that the network and any proxy (HTTPS_PROXY / NO_PROXY) let Ebb reach Snowflake\'s result storage as well as the account: SELECT SYSTEM$ALLOWLIST() lists the hosts.',
    { code: 'SOURCE_QUERY', cause: error },
  );
}

function unreachable(error: unknown, options: SnowflakeOptions): SourceError {
  const host = options.accessUrl ?? `https://${options.account}.snowflakecomputing.com`;
  return new SourceError(
    `Snowflake host ${host} was unreachable: ${describeError(error)}.\nHint: check \`account\`${options.accessUrl ? ' and `accessUrl`' : ''}, the network, and any proxy (HTTPS_PROXY / NO_PROXY).`,
    { code: 'SOURCE_UNREACHABLE', cause: error },
  );
}

/** A VARIANT keeps numbers of up to 38 digits as NUMBER, which prints every digit as text. */
export const SNOWFLAKE_JSON_AS_TEXT: JsonAsText = {
  document: (column) => `TO_JSON(${sqlIdentifier(column, PLAIN_NAME)})`,
  field: (column, inexact) => {
    const steps = inexact.path.map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      if (!PLAIN_NAME.test(step)) return `[${sqlString(step)}]`;
      return `${index === 0 ? ':' : '.'}${step}`;
    });
    return `${sqlIdentifier(column, PLAIN_NAME)}${steps.join('')}::VARCHAR`;
  },
};

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;
