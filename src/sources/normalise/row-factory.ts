import type { Row, Value } from '../../core/values.ts';

/** Builds row `index` from per-column value arrays. */
export type RowFactory = (columns: readonly (readonly Value[])[], index: number) => Row;

/**
 * A row builder for one fixed column list. It is generated as a single object literal because V8
 * then allocates each row with all its properties in place (one allocation, one shared shape);
 * building `{}` and assigning ten keys reallocates the property store as it grows, which showed
 * up as a third of the read time in garbage collection. Keys go through JSON.stringify, so any
 * column name is a safe literal.
 */
export function createRowFactory(names: readonly string[]): RowFactory {
  const properties = names.map((name, column) => `${JSON.stringify(name)}: columns[${column}][index]`);
  return new Function('columns', 'index', `return { ${properties.join(', ')} };`) as RowFactory;
}
