import type { Row, Value } from '../../core/values.ts';
import { matchingValue, primaryExternalId, type FieldSpec, type ObjectSpec } from './schema.ts';

export interface StoredRecord {
  Id: string;
  object: string;
  fields: Row;
}

type Undo = () => void;

/**
 * Records per sObject, indexed by Id and by every unique field (External IDs), with an undo journal so
 * an `allOrNone` call can roll back, and a log of creations per key to prove upserts never duplicate.
 */
export class SalesforceStore {
  private readonly byId = new Map<string, StoredRecord>();
  /** object → field → matching value → Id, for unique fields (lower-cased where the field ignores case). */
  private readonly unique = new Map<string, Map<string, Map<string, string>>>();
  private readonly deleted = new Set<string>();
  /** object → key → creations, by the object's primary External ID. */
  readonly creations = new Map<string, Map<string, number>>();
  private journal: Undo[] | null = null;
  private counter = 0;

  newId(object: ObjectSpec): string {
    this.counter += 1;
    return `${object.keyPrefix}Sb${String(this.counter).padStart(10, '0')}AAA`;
  }

  get(id: string): StoredRecord | undefined {
    return this.byId.get(id);
  }

  wasDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  findUnique(object: ObjectSpec, field: FieldSpec, value: Value): StoredRecord | undefined {
    const id = this.unique.get(object.name)?.get(field.name)?.get(matchingValue(field, value));
    return id === undefined ? undefined : this.byId.get(id);
  }

  list(object: ObjectSpec): StoredRecord[] {
    return [...this.byId.values()].filter((r) => r.object === object.name);
  }

  insert(object: ObjectSpec, fields: Row): StoredRecord {
    const now = new Date().toISOString();
    const record: StoredRecord = { Id: this.newId(object), object: object.name, fields: { ...fields, CreatedDate: now, LastModifiedDate: now } };
    this.byId.set(record.Id, record);
    this.index(object, record, true);
    const ext = primaryExternalId(object);
    const key = ext ? fields[ext.name] : undefined;
    if (key !== undefined && key !== null) this.countCreation(object.name, String(key));
    this.remember(() => {
      this.index(object, record, false);
      this.byId.delete(record.Id);
      if (key !== undefined && key !== null) this.countCreation(object.name, String(key), -1);
    });
    return record;
  }

  update(object: ObjectSpec, record: StoredRecord, changes: Row): void {
    const before = record.fields;
    this.index(object, record, false);
    record.fields = { ...before, ...changes, LastModifiedDate: new Date().toISOString() };
    this.index(object, record, true);
    this.remember(() => {
      this.index(object, record, false);
      record.fields = before;
      this.index(object, record, true);
    });
  }

  remove(object: ObjectSpec, record: StoredRecord): void {
    this.index(object, record, false);
    this.byId.delete(record.Id);
    this.deleted.add(record.Id);
    this.remember(() => {
      this.deleted.delete(record.Id);
      this.byId.set(record.Id, record);
      this.index(object, record, true);
    });
  }

  /** Runs `work` so that `rollback()` inside it undoes every change it made. */
  transaction<T>(work: (rollback: () => void) => T): T {
    const journal: Undo[] = [];
    this.journal = journal;
    try {
      return work(() => {
        for (const undo of journal.reverse()) undo();
        journal.length = 0;
      });
    } finally {
      this.journal = null;
    }
  }

  clear(): void {
    this.byId.clear();
    this.unique.clear();
    this.deleted.clear();
    this.creations.clear();
  }

  private remember(undo: Undo): void {
    this.journal?.push(undo);
  }

  private countCreation(object: string, key: string, delta = 1): void {
    let perKey = this.creations.get(object);
    if (!perKey) this.creations.set(object, (perKey = new Map()));
    perKey.set(key, (perKey.get(key) ?? 0) + delta);
  }

  private index(object: ObjectSpec, record: StoredRecord, add: boolean): void {
    for (const f of object.fields) {
      if (!f.unique) continue;
      const value = record.fields[f.name];
      if (value === undefined || value === null || value === '') continue;
      let perField = this.unique.get(object.name);
      if (!perField) this.unique.set(object.name, (perField = new Map()));
      let perValue = perField.get(f.name);
      if (!perValue) perField.set(f.name, (perValue = new Map()));
      const key = matchingValue(f, value);
      if (add) perValue.set(key, record.Id);
      else if (perValue.get(key) === record.Id) perValue.delete(key);
    }
  }
}
