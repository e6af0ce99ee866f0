import type { RemoteField } from '../connector.ts';

type ColumnKind = 'number' | 'boolean' | 'date' | 'timestamp' | 'string' | 'json' | 'binary';

/** Warehouse type names (DuckDB, Postgres, Snowflake) by the value shape Ebb normalises them to. */
export function columnKind(typeName: string): ColumnKind | null {
  const type = typeName.trim().toUpperCase();
  if (/^(BOOL|BOOLEAN)$/.test(type)) return 'boolean';
  if (/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[248]|NUMBER|NUMERIC|DECIMAL|FIXED|REAL|FLOAT[48]?|DOUBLE( PRECISION)?)\b/.test(type)) return 'number';
  if (/^DATE$/.test(type)) return 'date';
  if (/^(TIMESTAMP|DATETIME)/.test(type)) return 'timestamp';
  if (/^(VARCHAR|CHAR|CHARACTER|TEXT|STRING|UUID|ENUM|NAME|CITEXT|BPCHAR)/.test(type)) return 'string';
  if (/^(JSONB?|VARIANT|OBJECT|ARRAY|STRUCT|LIST|MAP)\b/.test(type) || /\[\]$/.test(type)) return 'json';
  if (/^(BLOB|BINARY|VARBINARY|BYTEA)/.test(type)) return 'binary';
  return null;
}

/** Which column kinds each HubSpot property type accepts as Ebb sends them (see values.ts). */
const ACCEPTS: Record<string, ColumnKind[]> = {
  number: ['number'],
  bool: ['boolean'],
  date: ['date'],
  datetime: ['timestamp', 'date'],
  enumeration: ['string', 'number', 'boolean', 'json'],
  string: ['string', 'number', 'boolean', 'date', 'timestamp', 'json'],
  phone_number: ['string', 'number'],
};

/**
 * Checks a sync's mapping against an object's HubSpot properties, for `ebb validate`: every mapped
 * property exists and is writable, `matchOn` can be HubSpot's idProperty, and each column's type fits
 * its property (where both are known). `columnTypes` is keyed by model column (`from`; the property name
 * when an entry has no `from`). Returns one message per problem, each saying what to change.
 */
export function checkMapping(
  fields: RemoteField[],
  mapping: { to: string; from?: string }[],
  matchOn: string,
  columnTypes: Record<string, string> = {},
): string[] {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const problems: string[] = [];
  const near = (name: string) => {
    const lower = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    const hit = fields.find((field) => field.name.toLowerCase().replace(/[^a-z0-9]/g, '') === lower);
    return hit ? ` Did you mean "${hit.name}"?` : '';
  };

  for (const entry of mapping) {
    const field = byName.get(entry.to);
    if (field === undefined) {
      problems.push(`HubSpot has no property "${entry.to}" on this object.${near(entry.to)} Use the property's internal name, or create the property first.`);
      continue;
    }
    if (!field.writable) {
      problems.push(`HubSpot property "${entry.to}" is read-only (calculated or set by HubSpot); remove it from the mapping.`);
    }
    const columnType = columnTypes[entry.from ?? entry.to];
    const kind = columnType === undefined ? null : columnKind(columnType);
    const accepted = ACCEPTS[field.type];
    if (kind !== null && accepted !== undefined && !accepted.includes(kind)) {
      problems.push(
        `column "${entry.from ?? entry.to}" (${columnType}) does not fit HubSpot ${field.type} property "${entry.to}"; ` +
          `cast it in the model to ${accepted.map(describeKind).join(' or ')}.`,
      );
    }
  }

  const key = byName.get(matchOn);
  if (key === undefined) {
    problems.push(`matchOn "${matchOn}" is not a HubSpot property of this object.${near(matchOn)} Upserts need an existing unique-value property.`);
  } else if (!key.unique) {
    problems.push(
      `matchOn "${matchOn}" cannot be HubSpot's idProperty: HubSpot upserts only by a property with unique values ` +
        '(or email, for contacts). Create a custom property with "unique values" turned on (e.g. ebb_id) and match on it.',
    );
  } else if (!key.writable) {
    problems.push(`matchOn "${matchOn}" is read-only in HubSpot, so new records could not receive their key; match on a writable unique property.`);
  }
  return problems;
}

function describeKind(kind: ColumnKind): string {
  return kind === 'timestamp' ? 'a timestamp' : kind === 'json' ? 'a list' : `a ${kind}`;
}
