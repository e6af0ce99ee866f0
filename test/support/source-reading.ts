import { expect } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import type { Row } from '../../src/core/values.ts';
import type { ReadOptions, SourceSession } from '../../src/sources/source.ts';

/** Every row a query streams, batches flattened. */
export async function readRows(session: SourceSession, query: string, options: ReadOptions = { batchSize: 100 }): Promise<Row[]> {
  const all: Row[] = [];
  for await (const batch of session.read(query, options)) all.push(...batch);
  return all;
}

/** The SourceError `work` fails with; fails the test if it succeeds or throws anything else. */
export async function sourceFailure(work: () => Promise<unknown>): Promise<SourceError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError, but the call succeeded');
}
