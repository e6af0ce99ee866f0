import type { RowStatement } from 'snowflake-sdk';
import { SourceError } from '../../core/errors.ts';

/**
 * snowflake-sdk's row stream ends with 'end' once it has read every chunk it was told about, without
 * checking that the chunks held the rows the result announced: a chunk body that decodes to fewer
 * rows (a gzip stream cut at a row boundary, a damaged body that still parses) streams as a shorter
 * result. A model cut short would plan its missing rows as untouched, or in mirror mode as deletes,
 * so a read compares the rows it delivered with the announced count and any difference is an error.
 *
 * Returns that error, or undefined when every announced row arrived (or the driver announced none).
 */
export function missingRowsError(statement: RowStatement, delivered: number): SourceError | undefined {
  // The response's `returned`: the rows this result holds, inline rows plus every chunk's rowCount.
  // (Its `total` is not it: that can be larger when ROWS_PER_RESULTSET caps the result.)
  const announced: unknown = statement.getNumRows();
  if (typeof announced !== 'number' || !Number.isSafeInteger(announced) || delivered === announced) return undefined;
  return new SourceError(
    `Snowflake's result (query ${statement.getQueryId()}) delivered ${delivered} of the ${announced} rows it announced; nothing was planned from the partial result.\n`
      + 'Hint: run the plan again. This is usually a result chunk whose download failed or came back damaged; if it keeps happening, check the network and any proxy between Ebb and Snowflake\'s result storage.',
    { code: 'SOURCE_QUERY' },
  );
}
