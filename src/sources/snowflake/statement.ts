import type { Connection, RowStatement, StatementOption } from 'snowflake-sdk';

/**
 * Every statement Ebb sends: rows as arrays (names come from the columns), numbers as Snowflake's
 * own text, and TIME with all nine fraction digits (the default format drops them).
 */
const FETCH_OPTIONS = {
  rowMode: 'array',
  fetchAsString: ['Number'],
} satisfies Partial<StatementOption>;

export interface StatementSettings {
  queryTag: string | undefined;
  timeoutMs: number | undefined;
}

/** Statement-level session parameters: attribution, the timeout, and output formats decoding relies on. */
export function statementParameters(settings: StatementSettings): Record<string, unknown> {
  const parameters: Record<string, unknown> = { TIME_OUTPUT_FORMAT: 'HH24:MI:SS.FF9' };
  if (settings.queryTag !== undefined) parameters.QUERY_TAG = settings.queryTag;
  if (settings.timeoutMs !== undefined) parameters.STATEMENT_TIMEOUT_IN_SECONDS = Math.max(1, Math.ceil(settings.timeoutMs / 1000));
  return parameters;
}

/**
 * Starts a statement whose rows are streamed: resolves once Snowflake has answered the first
 * request (including any "still running" polling), before a single row is fetched.
 */
export function executeStreaming(
  connection: Connection,
  sqlText: string,
  settings: StatementSettings,
  extra: Partial<StatementOption> = {},
): Promise<RowStatement> {
  return new Promise((resolve, reject) => {
    connection.execute({
      ...FETCH_OPTIONS,
      ...extra,
      sqlText,
      streamResult: true,
      parameters: statementParameters(settings),
      complete: (error, statement) => (error ? reject(error) : resolve(statement)),
    });
  });
}

/** `ebb:<sync>`, whether the engine passes the sync name or the finished tag. */
export function queryTagFor(tag: string | undefined): string | undefined {
  if (tag === undefined || tag === '') return undefined;
  return tag.startsWith('ebb:') ? tag : `ebb:${tag}`;
}
