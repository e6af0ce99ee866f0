import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimeNSValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { hexText, scaledIntegerText } from './decimal-text.ts';
import { jsonText } from './json-text.ts';

/** The `rowtype[].type` values the Node driver decodes (always lower-case on the wire, spec §4.6). */
export type SnowflakeType =
  | 'fixed' | 'real' | 'text' | 'boolean' | 'date' | 'time'
  | 'timestamp_ntz' | 'timestamp_ltz' | 'timestamp_tz'
  | 'variant' | 'object' | 'array' | 'binary';

/**
 * DuckDB has no TIMESTAMP_TZ-with-offset nor OBJECT/ARRAY distinction a query can express, so a test
 * may force a column's Snowflake type by result column name. `offsetMinutes` is the zone a
 * TIMESTAMP_TZ value is reported in (DuckDB keeps only the instant).
 */
export type TypeOverride = SnowflakeType | { type: 'timestamp_tz'; offsetMinutes: number };

export interface RowType {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: SnowflakeType;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  collation: null;
}

export interface ColumnCodec {
  rowType: RowType;
  /** The cell as Snowflake sends it: a string in the §4.6 encoding, or null. */
  encode(value: DuckDBValue): string | null;
}

const TEXT_LENGTH = 16_777_216;
/** Time-bearing columns are sent with nanosecond scale, as Snowflake's defaults do. */
const TIME_SCALE = 9;

export function columnCodec(name: string, duckType: DuckDBType, context: { database: string; schema: string }, override?: TypeOverride): ColumnCodec {
  const base = { name, database: context.database, schema: context.schema, table: '', nullable: true, collation: null } as const;
  const make = (type: SnowflakeType, encode: (value: DuckDBValue) => string, sizes: Partial<RowType> = {}): ColumnCodec => ({
    rowType: { ...base, type, precision: null, scale: null, length: null, byteLength: null, ...sizes },
    encode: (value) => (value === null ? null : encode(value)),
  });

  if (override !== undefined) return overrideCodec(override, make);

  switch (duckType.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return make('boolean', (v) => (v ? '1' : '0'));
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.BIGNUM:
      return make('fixed', (v) => String(v), { precision: 38, scale: 0 });
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = duckType as unknown as { width: number; scale: number };
      return make('fixed', (v) => scaledIntegerText((v as DuckDBDecimalValue).value, scale), { precision: width, scale });
    }
    case DuckDBTypeId.FLOAT:
      // Snowflake has no 4-byte float: a FLOAT column holding 1.1 prints "1.1", not the widened 1.100000023841858.
      return make('real', (v) => String(shortestFloat32(v as number)));
    case DuckDBTypeId.DOUBLE:
      return make('real', (v) => String(v));
    case DuckDBTypeId.DATE:
      return make('date', (v) => String((v as DuckDBDateValue).days));
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_NS:
      return make('time', (v) => scaledIntegerText(nanosOfTime(v), TIME_SCALE), { scale: TIME_SCALE });
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return make('timestamp_ntz', (v) => epochText(v), { scale: TIME_SCALE });
    case DuckDBTypeId.TIMESTAMP_TZ:
      // CURRENT_TIMESTAMP and friends are TIMESTAMP_LTZ in Snowflake: an instant shown in the session zone.
      return make('timestamp_ltz', (v) => epochText(v), { scale: TIME_SCALE });
    case DuckDBTypeId.BLOB:
      return make('binary', (v) => hexText((v as DuckDBBlobValue).bytes), { length: 8_388_608, byteLength: 8_388_608 });
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY:
      return make('array', jsonText);
    case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP:
      return make('object', jsonText);
    case DuckDBTypeId.VARIANT:
      return make('variant', jsonText);
    case DuckDBTypeId.VARCHAR:
      // DuckDB's JSON type is VARCHAR with the JSON alias: its text already is the JSON document.
      if (duckType.alias === 'JSON') return make('variant', (v) => String(v));
      return make('text', (v) => String(v), { length: TEXT_LENGTH, byteLength: TEXT_LENGTH });
    default:
      // UUID, ENUM, INTERVAL, BIT, UNION, NULL literals: Snowflake would hand these back as text.
      return make('text', (v) => String(v), { length: TEXT_LENGTH, byteLength: TEXT_LENGTH });
  }
}

function overrideCodec(
  override: TypeOverride,
  make: (type: SnowflakeType, encode: (value: DuckDBValue) => string, sizes?: Partial<RowType>) => ColumnCodec,
): ColumnCodec {
  const spec = typeof override === 'string' ? { type: override, offsetMinutes: 0 } : override;
  switch (spec.type) {
    case 'timestamp_tz':
      // Wire form (result version 1): "<epoch seconds> <offset minutes + 1440>".
      return make('timestamp_tz', (v) => `${epochText(v)} ${spec.offsetMinutes + 1440}`, { scale: TIME_SCALE });
    case 'timestamp_ntz': case 'timestamp_ltz':
      return make(spec.type, (v) => epochText(v), { scale: TIME_SCALE });
    case 'variant': case 'object': case 'array':
      return make(spec.type, (v) => (typeof v === 'string' ? v : jsonText(v)));
    default:
      throw new Error(`type override '${spec.type}' is not supported; the emulator maps that type from DuckDB by itself`);
  }
}

/** The shortest decimal that rounds to the same 4-byte float. */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function nanosOfTime(value: DuckDBValue): bigint {
  if (value instanceof DuckDBTimeValue) return value.micros * 1000n;
  if (value instanceof DuckDBTimeNSValue) return value.nanos;
  throw new Error(`not a TIME value: ${String(value)}`);
}

/** Epoch seconds with nanosecond scale, exact (no float) so the driver's BigNumber split is right. */
function epochText(value: DuckDBValue): string {
  return scaledIntegerText(epochNanos(value), TIME_SCALE);
}

function epochNanos(value: DuckDBValue): bigint {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros * 1000n;
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1_000_000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000_000n;
  throw new Error(`not a timestamp value: ${String(value)}`);
}
