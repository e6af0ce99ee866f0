import type { SourceContext, SourceDefinition, SourceSession } from '../source.ts';
import { connectSnowflake } from './connect.ts';
import { resolveSnowflakeOptions, validateSnowflakeOptions } from './options.ts';
import { SnowflakeSourceSession } from './session.ts';

/**
 * Snowflake through the official snowflake-sdk: password, key-pair (JWT) or OAuth login; rows
 * streamed from chunked results with backpressure; every statement tagged `ebb:<sync>` and bounded
 * by STATEMENT_TIMEOUT_IN_SECONDS. The driver is loaded only when a connection opens.
 */
export const snowflakeSource: SourceDefinition = {
  kind: 'snowflake',
  validateOptions: validateSnowflakeOptions,
  async open(options: Record<string, unknown>, context: SourceContext): Promise<SourceSession> {
    const resolved = resolveSnowflakeOptions(options, context);
    const connection = await connectSnowflake(resolved);
    return new SnowflakeSourceSession(connection, resolved);
  },
};

export { SnowflakeQueryError } from './errors.ts';
