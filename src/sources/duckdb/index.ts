import type { SourceDefinition } from '../source.ts';
import { resolveDuckDBOptions, validateDuckDBOptions } from './options.ts';
import { DuckDBSourceSession } from './session.ts';

/**
 * DuckDB files (or an in-memory database set up by `init`). Files open read-only unless
 * `readOnly: false`, so computing a plan can never write to the warehouse.
 */
export const duckdbSource: SourceDefinition = {
  kind: 'duckdb',
  validateOptions: validateDuckDBOptions,
  open: async (options, context) => DuckDBSourceSession.open(resolveDuckDBOptions(options, context)),
};
