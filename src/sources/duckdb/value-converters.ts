import {
  DuckDBTypeId,
  type DuckDBArrayValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  type DuckDBTimeNSValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampValue,
  type DuckDBTimeValue,
  type DuckDBType,
  type DuckDBUnionValue,
  type DuckDBValue,
  type DuckDBVariantValue,
} from '@duckdb/node-api';
import { normaliseDouble, type JsonValue } from '../../core/values.ts';
import { InexactJsonNumber, inexactJsonNumberError, parseJsonExactly } from '../normalise/json.ts';
import { formatScaledDecimal, normaliseInteger, shortestFloat32 } from '../normalise/numeric.ts';
import { floorDiv, isoDateFromEpochDays, isoTimestampFromEpochMicros, timeOfDayFromMicros } from '../normalise/temporal.ts';
import { DUCKDB_JSON_AS_TEXT } from './errors.ts';

/**
 * Turns one non-null DuckDB value of a known type into the normalised value model
 * (core/values.ts). Chosen once per column, then called per value.
 */
export type ValueConverter = (item: DuckDBValue) => JsonValue;

/** Values the driver already hands out in their normalised shape (numbers, booleans, strings). */
export const AS_IS: ValueConverter = (item) => item as JsonValue;

/**
 * `column` is the result column the values come from, for errors that name it; `nested`, whether
 * these values are inside a list, struct, map or union of that column.
 */
export function converterFor(type: DuckDBType, column: string, nested = false): ValueConverter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.ENUM:
      return AS_IS;
    case DuckDBTypeId.VARCHAR:
      // DuckDB's JSON type is a VARCHAR with an alias.
      return type.alias === 'JSON' ? (item) => jsonFromText(item as string, column, nested) : AS_IS;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (item) => normaliseInteger(item as bigint);
    case DuckDBTypeId.DOUBLE:
      return (item) => normaliseDouble(item as number);
    case DuckDBTypeId.FLOAT:
      return (item) => normaliseDouble(shortestFloat32(item as number));
    case DuckDBTypeId.DECIMAL: {
      const scale = type.scale;
      return (item) => formatScaledDecimal((item as DuckDBDecimalValue).value, scale);
    }
    case DuckDBTypeId.DATE:
      return (item) => {
        const days = (item as DuckDBDateValue).days;
        // DateValue.isFinite is a native call; the infinities are the int32 extremes.
        return Math.abs(days) === INFINITE_DAYS ? infinity(days) : isoDateFromEpochDays(days);
      };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (item) => {
        const micros = (item as DuckDBTimestampValue).micros;
        return micros === INFINITE_MICROS || micros === NEGATIVE_INFINITE_MICROS ? infinity(micros) : isoTimestampFromEpochMicros(micros);
      };
    case DuckDBTypeId.TIMESTAMP_S:
      return (item) => {
        const timestamp = item as DuckDBTimestampSecondsValue;
        return timestamp.isFinite ? isoTimestampFromEpochMicros(timestamp.seconds * 1_000_000n) : infinity(timestamp.seconds);
      };
    case DuckDBTypeId.TIMESTAMP_MS:
      return (item) => {
        const timestamp = item as DuckDBTimestampMillisecondsValue;
        return timestamp.isFinite ? isoTimestampFromEpochMicros(timestamp.millis * 1000n) : infinity(timestamp.millis);
      };
    case DuckDBTypeId.TIMESTAMP_NS:
      return (item) => {
        const timestamp = item as DuckDBTimestampNanosecondsValue;
        if (!timestamp.isFinite) return infinity(timestamp.nanos);
        const micros = timestamp.nanos / 1000n;
        return isoTimestampFromEpochMicros(timestamp.nanos % 1000n < 0n ? micros - 1n : micros);
      };
    case DuckDBTypeId.TIME:
      return (item) => timeOfDayFromMicros(Number((item as DuckDBTimeValue).micros));
    case DuckDBTypeId.TIME_NS:
      return (item) => timeOfDayFromMicros(floorDiv(Number((item as DuckDBTimeNSValue).nanos), 1000));
    case DuckDBTypeId.BLOB: {
      return (item) => {
        const bytes = (item as DuckDBBlobValue).bytes;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      };
    }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const convertItem = converterFor(type.valueType, column, true);
      return (item) => (item as DuckDBListValue | DuckDBArrayValue).items.map((child) => (child === null ? null : convertItem(child)));
    }
    case DuckDBTypeId.STRUCT: {
      const converters = type.entryTypes.map((entryType) => converterFor(entryType, column, true));
      const names = type.entryNames;
      return (item) => {
        const entries = (item as DuckDBStructValue).entries;
        const object: Record<string, JsonValue> = {};
        names.forEach((name, index) => {
          const child = entries[name];
          object[name] = child === null || child === undefined ? null : (converters[index] as ValueConverter)(child);
        });
        return object;
      };
    }
    case DuckDBTypeId.MAP: {
      const convertKey = converterFor(type.keyType, column, true);
      const convertValue = converterFor(type.valueType, column, true);
      return (item) => {
        const object: Record<string, JsonValue> = {};
        for (const { key, value } of (item as DuckDBMapValue).entries) {
          const normalisedKey = key === null ? 'null' : convertKey(key);
          object[typeof normalisedKey === 'string' ? normalisedKey : JSON.stringify(normalisedKey)] = value === null ? null : convertValue(value);
        }
        return object;
      };
    }
    case DuckDBTypeId.UNION: {
      const converters = new Map(type.memberTags.map((tag, index) => [tag, converterFor(type.memberTypes[index] as DuckDBType, column, true)]));
      return (item) => {
        const union = item as DuckDBUnionValue;
        const convert = converters.get(union.tag);
        return union.value === null || convert === undefined ? null : convert(union.value);
      };
    }
    case DuckDBTypeId.VARIANT:
      return (item) => {
        const variant = item as DuckDBVariantValue;
        if (variant.value === null) return null;
        return variant.type ? converterFor(variant.type, column, nested)(variant.value) : String(variant.value);
      };
    case DuckDBTypeId.SQLNULL:
      return () => null;
    default:
      // UUID, INTERVAL, BIT, TIME_TZ, GEOMETRY: DuckDB's own text form.
      return (item) => String(item);
  }
}

function jsonFromText(text: string, column: string, nested: boolean): JsonValue {
  const value = parseJsonExactly(text);
  if (value instanceof InexactJsonNumber) throw inexactJsonNumberError(column, value, DUCKDB_JSON_AS_TEXT, { nested });
  return value;
}

const INFINITE_DAYS = 2 ** 31 - 1;
const INFINITE_MICROS = 2n ** 63n - 1n;
const NEGATIVE_INFINITE_MICROS = -INFINITE_MICROS;

function infinity(sign: number | bigint): string {
  return sign > 0 ? 'infinity' : '-infinity';
}
