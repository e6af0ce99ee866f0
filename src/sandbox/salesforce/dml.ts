import type { Row, Value } from '../../core/values.ts';
import type { SalesforceKnobs, SalesforceRecordError } from './knobs.ts';
import { primaryExternalId, type FieldSpec, type ObjectSpec } from './schema.ts';
import type { SalesforceStore, StoredRecord } from './store.ts';
import { validateRecord, type ValueSource } from './validation.ts';

/** One record's outcome, shaped like a collections SaveResult/UpsertResult. */
export interface DmlOutcome {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: SalesforceRecordError[];
}

const ID_SHAPE = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

function failed(errors: SalesforceRecordError[], id: string | null = null): DmlOutcome {
  return { id, success: false, errors };
}

/** Single-record create/update/upsert/delete with Salesforce's per-record errors, shared by collections and Bulk. */
export class Dml {
  constructor(
    private readonly store: SalesforceStore,
    private readonly knobs: SalesforceKnobs,
  ) {}

  create(object: ObjectSpec, input: Row, source: ValueSource): DmlOutcome {
    const injected = this.injected(object, input, null);
    if (injected) return failed([injected]);
    const checked = validateRecord(object, input, 'create', source);
    if (!checked.ok) return failed(checked.errors);
    const duplicate = this.duplicate(object, checked.changes, null);
    if (duplicate) return failed([duplicate]);
    const record = this.store.insert(object, checked.changes);
    return { id: record.Id, success: true, errors: [] };
  }

  update(object: ObjectSpec, id: string, input: Row, source: ValueSource): DmlOutcome {
    const found = this.find(object, id);
    if ('error' in found) return failed([found.error], id);
    const injected = this.injected(object, found.record.fields, id);
    if (injected) return failed([injected], id);
    return this.applyUpdate(object, found.record, input, source, false);
  }

  upsert(object: ObjectSpec, extField: FieldSpec, input: Row, source: ValueSource): DmlOutcome {
    const extValue = input[extField.name];
    if (extValue === undefined || extValue === null || extValue === '') {
      return failed([{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${extField.name}]`, fields: [extField.name] }]);
    }
    const existing = this.store.findUnique(object, extField, extValue);
    const injected = this.injected(object, input, existing?.Id ?? null);
    if (injected) return failed([injected], existing?.Id ?? null);
    if (existing) return this.applyUpdate(object, existing, input, source, true);
    const created = this.create(object, input, source);
    return created.success ? { ...created, created: true } : created;
  }

  remove(object: ObjectSpec, id: string): DmlOutcome {
    const found = this.find(object, id);
    if ('error' in found) return failed([found.error], id);
    const injected = this.injected(object, found.record.fields, id);
    if (injected) return failed([injected], id);
    this.store.remove(object, found.record);
    return { id, success: true, errors: [] };
  }

  private applyUpdate(object: ObjectSpec, record: StoredRecord, input: Row, source: ValueSource, upsert: boolean): DmlOutcome {
    const checked = validateRecord(object, input, 'update', source);
    if (!checked.ok) return failed(checked.errors, record.Id);
    const duplicate = this.duplicate(object, checked.changes, record.Id);
    if (duplicate) return failed([duplicate], record.Id);
    this.store.update(object, record, checked.changes);
    return upsert ? { id: record.Id, success: true, created: false, errors: [] } : { id: record.Id, success: true, errors: [] };
  }

  private find(object: ObjectSpec, id: string): { record: StoredRecord } | { error: SalesforceRecordError } {
    if (!ID_SHAPE.test(id) || !id.startsWith(object.keyPrefix)) {
      return { error: { statusCode: 'MALFORMED_ID', message: `${object.label} ID: id value of incorrect type: ${id}`, fields: ['Id'] } };
    }
    const record = this.store.get(id);
    if (record) return { record };
    if (this.store.wasDeleted(id)) return { error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
    return { error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } };
  }

  private duplicate(object: ObjectSpec, changes: Row, selfId: string | null): SalesforceRecordError | null {
    for (const field of object.fields) {
      const value = changes[field.name];
      if (!field.unique || value === undefined || value === null) continue;
      const other = this.store.findUnique(object, field, value);
      if (other && other.Id !== selfId) {
        return { statusCode: 'DUPLICATE_VALUE', message: `duplicate value found: ${field.name} duplicates value on record with id: ${other.Id}`, fields: [field.name] };
      }
    }
    return null;
  }

  /** Knob-driven rejections, matched by the record's Id or its primary External ID value. */
  private injected(object: ObjectSpec, fields: Row, id: string | null): SalesforceRecordError | null {
    const ext = primaryExternalId(object);
    const keys = [id, ext ? fields[ext.name] : undefined].filter((k): k is Value => k !== undefined && k !== null).map(String);
    for (const key of keys) {
      const rejection = this.knobs.rejectRowKeys[key];
      if (rejection) return rejection;
      const locked = this.knobs.lockRowKeys.indexOf(key);
      if (locked >= 0) {
        this.knobs.lockRowKeys.splice(locked, 1);
        return { statusCode: 'UNABLE_TO_LOCK_ROW', message: `unable to obtain exclusive access to this record or 1 records: ${id ?? key}`, fields: [] };
      }
    }
    return null;
  }
}
