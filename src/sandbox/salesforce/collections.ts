import type { Row } from '../../core/values.ts';
import type { Dml, DmlOutcome } from './dml.ts';
import type { SalesforceRecordError } from './knobs.ts';
import { ok, sfError, type Reply } from './reply.ts';
import { OBJECTS, findField, findObject, matchingValue, type ObjectSpec } from './schema.ts';
import type { SalesforceStore } from './store.ts';

export const COLLECTION_LIMIT = 200;

interface CollectionRequest {
  allOrNone?: boolean;
  records?: Array<Record<string, unknown>>;
}

const ROLLED_BACK: SalesforceRecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/** Body of a collections result entry, as Salesforce writes it. */
function resultBody(outcome: DmlOutcome): Record<string, unknown> {
  const body: Record<string, unknown> = outcome.id ? { id: outcome.id } : {};
  body['success'] = outcome.success;
  body['errors'] = outcome.errors;
  if (outcome.created !== undefined && outcome.success) body['created'] = outcome.created;
  return body;
}

/**
 * Strips the addressing keys, leaving the field values. A top-level `type` is a field (Account.Type:
 * Salesforce reads field names ignoring case); only jsforce's own record helpers use it for the object,
 * and they move it into attributes.type before sending.
 */
function fieldsOf(record: Record<string, unknown>): Row {
  const { attributes: _a, Id: _I, id: _i, ...fields } = record;
  return fields as Row;
}

function typeOf(record: Record<string, unknown>): string | undefined {
  const attributes = record['attributes'] as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
}

/** sObject Collections: create, update, upsert by External ID, delete — up to 200 records, results in order. */
export class Collections {
  constructor(
    private readonly store: SalesforceStore,
    private readonly dml: Dml,
    private readonly recordBatchSize: (size: number) => void,
  ) {}

  create(body: unknown): Reply {
    return this.run(body, null, (record, object) => this.dml.create(object, fieldsOf(record), 'json'));
  }

  update(body: unknown): Reply {
    return this.run(body, null, (record, object) => {
      const id = record['id'] ?? record['Id'];
      if (typeof id !== 'string' || id === '') {
        return { id: null, success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
      }
      return this.dml.update(object, id, fieldsOf(record), 'json');
    });
  }

  upsert(typeName: string, extFieldName: string, body: unknown): Reply {
    const object = findObject(typeName);
    if (!object) return sfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    const extField = findField(object, extFieldName);
    if (!extField || !(extField.externalId || extField.type === 'id')) {
      return sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${extFieldName}`);
    }
    const records = (body as CollectionRequest | null)?.records ?? [];
    // Two records of one call that would match the same stored record are refused, as Salesforce does.
    const matching = (record: Record<string, unknown>): string => matchingValue(extField, String(record[extField.name]));
    const counts = new Map<string, number>();
    for (const r of records) counts.set(matching(r), (counts.get(matching(r)) ?? 0) + 1);
    return this.run(body, object, (record, recordObject) => {
      const value = String(record[extField.name]);
      if ((counts.get(matching(record)) ?? 0) > 1) {
        return { id: null, success: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: `Duplicate external id specified: ${value}`, fields: [extField.name] }] };
      }
      return this.dml.upsert(recordObject, extField, fieldsOf(record), 'json');
    });
  }

  destroy(ids: string[], allOrNone: boolean): Reply {
    if (ids.length > COLLECTION_LIMIT) return tooMany();
    this.recordBatchSize(ids.length);
    return this.store.transaction((rollback) => {
      const outcomes = ids.map((id) => {
        const object = findObjectForId(id);
        if (!object) return { id, success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] }] } satisfies DmlOutcome;
        return this.dml.remove(object, id);
      });
      return ok(finish(outcomes, allOrNone, rollback).map(resultBody));
    });
  }

  private run(body: unknown, urlObject: ObjectSpec | null, apply: (record: Record<string, unknown>, object: ObjectSpec) => DmlOutcome): Reply {
    const request = body as CollectionRequest | null;
    if (!request || !Array.isArray(request.records)) return sfError(400, 'JSON_PARSER_ERROR', 'Request body must be {"allOrNone": boolean, "records": [...]}');
    if (request.records.length > COLLECTION_LIMIT) return tooMany();
    const objects: ObjectSpec[] = [];
    for (const record of request.records) {
      const type = typeOf(record);
      if (!type) return sfError(400, 'INVALID_INPUT', 'Each record requires an attributes.type');
      const object = findObject(type);
      if (!object) return sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
      if (urlObject && object !== urlObject) return sfError(400, 'INVALID_INPUT', `Record type ${type} does not match the sObject ${urlObject.name} in the URL`);
      objects.push(object);
    }
    this.recordBatchSize(request.records.length);
    return this.store.transaction((rollback) => {
      const outcomes = request.records!.map((record, i) => apply(record, objects[i]!));
      return ok(finish(outcomes, request.allOrNone === true, rollback).map(resultBody));
    });
  }
}

function tooMany(): Reply {
  return sfError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`);
}

/** With allOrNone, one failure undoes every write of the call and marks the good records rolled back. */
function finish(outcomes: DmlOutcome[], allOrNone: boolean, rollback: () => void): DmlOutcome[] {
  if (!allOrNone || outcomes.every((o) => o.success)) return outcomes;
  rollback();
  return outcomes.map((o) => (o.success ? { id: null, success: false, errors: [ROLLED_BACK] } : o));
}

function findObjectForId(id: string): ObjectSpec | undefined {
  return OBJECTS.find((o) => id.startsWith(o.keyPrefix));
}
