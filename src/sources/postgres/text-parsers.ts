import { normaliseDouble, type JsonValue } from '../../core/values.ts';
import { InexactJsonNumber, parseJsonExactly } from '../normalise/json.ts';
import { normaliseDecimalText, normaliseIntegerText } from '../normalise/numeric.ts';
import { parseArrayLiteral } from './array-literal.ts';
import { dateFromText, timeFromText, timestampFromText, timestamptzFromText } from './temporal-text.ts';

/** Turns one non-null value in Postgres' text format into the normalised value model. */
export type TextParser = (text: string) => JsonValue;

const asText: TextParser = (text) => text;
const asNumber: TextParser = (text) => Number(text);
const asFloat: TextParser = (text) => normaliseDouble(Number(text));
const asBoolean: TextParser = (text) => text === 't';
// bytea_output is set to 'hex' for the session: "\x6562".
const asBase64: TextParser = (text) => Buffer.from(text.slice(2), 'hex').toString('base64');

/** Built-in scalar types by OID (OIDs below 10000 are fixed across Postgres versions). */
const SCALAR_PARSERS = new Map<number, TextParser>([
  [16, asBoolean], // bool
  [17, asBase64], // bytea
  [20, normaliseIntegerText], // int8
  [21, asNumber], // int2
  [23, asNumber], // int4
  [26, asNumber], // oid
  [700, asFloat], // float4: printed shortest-exact (extra_float_digits = 1)
  [701, asFloat], // float8
  [1700, normaliseDecimalText], // numeric
  [1082, dateFromText], // date
  [1083, timeFromText], // time
  [1114, timestampFromText], // timestamp
  [1184, timestamptzFromText], // timestamptz
]);

/** Built-in array types by OID → their element type's OID. */
const BUILTIN_ARRAY_ELEMENTS = new Map<number, number>([
  [1000, 16], [1001, 17], [1002, 18], [1003, 19], [1005, 21], [1007, 23], [1009, 25], [1014, 1042],
  [1015, 1043], [1016, 20], [1021, 700], [1022, 701], [1028, 26], [1115, 1114], [1182, 1082],
  [1183, 1083], [1185, 1184], [1231, 1700], [2951, 2950], [199, 114], [3807, 3802], [1187, 1186],
  [1270, 1266], [651, 650], [1041, 869], [1040, 829], [143, 142], [791, 790], [1561, 1560], [1563, 1562],
]);

/**
 * The first JSON number, in rows pg parsed, that a JavaScript number cannot hold exactly. A parser
 * must not throw: pg-cursor parses rows inside the socket's data handler, where a throw escapes
 * as an uncaught exception. So the JSON parser notes it here and leaves it in its cell, where the
 * session finds the column after the batch and fails the read.
 */
export interface InexactJsonNote {
  found: InexactJsonNumber | undefined;
}

/** jsonb prints its numbers as numeric does, never with an exponent; json keeps the text as written. */
function jsonParser(note: InexactJsonNote, exponents: boolean): TextParser {
  const options = { exponents };
  return (text) => {
    const value = parseJsonExactly(text, options);
    if (!(value instanceof InexactJsonNumber)) return value;
    note.found ??= value;
    return value as unknown as JsonValue;
  };
}

/**
 * Parser lookup for one session. `userArrayElements` maps array types created in this database
 * (arrays of enums, domains, extension types) to their element type, loaded when the session
 * opens; any other type without a parser here (enums, citext, interval, inet, ranges) stays text.
 */
export function createTypeParserLookup(userArrayElements: ReadonlyMap<number, number>, inexactJson: InexactJsonNote): (oid: number) => TextParser {
  // json and jsonb note into this session's `inexactJson`, so their parsers are the lookup's own.
  const cache = new Map<number, TextParser>([
    [114, jsonParser(inexactJson, true)], // json
    [3802, jsonParser(inexactJson, false)], // jsonb
  ]);
  const lookup = (oid: number): TextParser => {
    let parser = cache.get(oid);
    if (parser === undefined) {
      parser = SCALAR_PARSERS.get(oid);
      const elementOid = BUILTIN_ARRAY_ELEMENTS.get(oid) ?? userArrayElements.get(oid);
      if (parser === undefined && elementOid !== undefined) {
        const parseElement = lookup(elementOid);
        parser = (text) => parseArrayLiteral(text, parseElement);
      }
      parser ??= asText;
      cache.set(oid, parser);
    }
    return parser;
  };
  return lookup;
}
