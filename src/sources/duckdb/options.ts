import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SourceError } from '../../core/errors.ts';
import { describeIssues } from '../normalise/option-issues.ts';
import type { SourceContext } from '../source.ts';

export const IN_MEMORY = ':memory:';

const duckdbOptionsSchema = z
  .object({
    /** A DuckDB file, relative to the project root, or ':memory:'. */
    path: z
      .string({ error: 'expected a DuckDB file path (relative to the project root) or ":memory:"' })
      .min(1, 'expected a DuckDB file path (relative to the project root) or ":memory:"'),
    /** Files open read-only unless this is false, so planning can never write to the warehouse. */
    readOnly: z.boolean({ error: 'expected true or false' }).optional(),
    /** SQL run once after connecting (ATTACH, SET, CREATE VIEW ...). */
    init: z.array(z.string(), { error: 'expected a list of SQL statements (strings)' }).optional(),
  })
  .strict()
  .refine((options) => !(options.path === IN_MEMORY && options.readOnly === true), {
    message: 'an in-memory DuckDB database cannot be read-only; remove readOnly or point path at a file',
    path: ['readOnly'],
  });

export interface ResolvedDuckDBOptions {
  /** Absolute file path, or ':memory:'. */
  path: string;
  readOnly: boolean;
  init: string[];
}

export function validateDuckDBOptions(options: Record<string, unknown>): string[] {
  const parsed = duckdbOptionsSchema.safeParse(options);
  return parsed.success ? [] : describeIssues(parsed.error);
}

export function resolveDuckDBOptions(options: Record<string, unknown>, context: SourceContext): ResolvedDuckDBOptions {
  const parsed = duckdbOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SourceError(`invalid DuckDB connection options: ${describeIssues(parsed.error).join('; ')}`, { code: 'SOURCE_INVALID_OPTIONS' });
  }
  const { path, readOnly, init } = parsed.data;
  if (path === IN_MEMORY) return { path, readOnly: false, init: init ?? [] };
  return {
    path: isAbsolute(path) ? path : resolve(context.rootDir, path),
    readOnly: readOnly ?? true,
    init: init ?? [],
  };
}
