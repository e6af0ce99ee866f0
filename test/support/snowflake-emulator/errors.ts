import { fail, type Envelope } from './http.ts';

/**
 * Snowflake error bodies. SQL errors always carry `data.sqlState`: without it the driver treats the
 * error as retryable and re-submits the query once before reporting it (spec §7.1).
 */
export function sqlError(code: string, message: string, sqlState: string, queryId: string, type = 'COMPILATION'): Envelope {
  return fail(code, message, {
    internalError: false, errorCode: code, age: 0, sqlState, queryId, line: -1, pos: -1, type,
  });
}

/** Maps a DuckDB error to the Snowflake code/SQLSTATE pair a user would see for the same mistake. */
export function sqlErrorFromDuckDb(error: unknown, queryId: string): Envelope {
  const text = error instanceof Error ? error.message : String(error);
  const compilation = (code: string, sqlState: string) => sqlError(code, `SQL compilation error:\n${text}`, sqlState, queryId);
  if (/^Catalog Error/.test(text)) return compilation('002003', '42S02');
  if (/^Parser Error/.test(text)) return compilation('001003', '42000');
  if (/^Binder Error/.test(text)) return compilation('000904', '42000');
  if (/^Conversion Error/.test(text)) return sqlError('100038', text, '22018', queryId, 'EXECUTION');
  if (/NOT NULL constraint/i.test(text)) return sqlError('100072', text, '22000', queryId, 'EXECUTION');
  return sqlError('100000', text, 'XX000', queryId, 'EXECUTION');
}

export function statementTimedOut(seconds: number, queryId: string): Envelope {
  return sqlError(
    '000630',
    `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`,
    '57014',
    queryId,
    'EXECUTION',
  );
}

export function statementCanceled(queryId: string): Envelope {
  return sqlError('000604', 'SQL execution canceled', '57014', queryId, 'EXECUTION');
}

export function unknownStatement(queryId: string): Envelope {
  return sqlError('000709', `Statement ${queryId} not found`, '02000', queryId, 'EXECUTION');
}

export function sessionExpired(): Envelope {
  return fail('390112', 'Your session has expired. Please login again.', { nextAction: 'RENEW_SESSION' });
}

export function invalidSessionToken(): Envelope {
  return fail('390104', 'User must login again to access the service.', { nextAction: 'RETRY_LOGIN' });
}

export function masterTokenExpired(): Envelope {
  return fail('390114', 'Authentication token has expired.  The user must authenticate again.', { nextAction: 'RETRY_LOGIN' });
}
