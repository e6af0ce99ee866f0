import type { ObjectSchema } from './schema.ts';
import type { SandboxRecord } from './types.ts';

/** The records of one object type, with HubSpot's unique-value indexes. Archived records are kept, flagged. */
export class ObjectRecords {
  private readonly byId = new Map<string, SandboxRecord>();
  /** property → normalised value → record id, for unique properties of live records. */
  private readonly unique = new Map<string, Map<string, string>>();

  constructor(
    readonly schema: ObjectSchema,
    private readonly nextId: () => string,
  ) {}

  findById(id: string): SandboxRecord | undefined {
    const record = this.byId.get(id);
    return record && !record.archived ? record : undefined;
  }

  findByProperty(property: string, value: string): SandboxRecord | undefined {
    if (property === 'hs_object_id') return this.findById(value);
    const id = this.unique.get(property)?.get(this.schema.normalise(property, value));
    return id === undefined ? undefined : this.findById(id);
  }

  /** The live record other than `exceptId` that already holds `value` in a unique property. */
  uniqueOwner(property: string, value: string, exceptId?: string): SandboxRecord | undefined {
    if (value === '' || !this.schema.isUnique(property)) return undefined;
    const owner = this.findByProperty(property, value);
    return owner && owner.id !== exceptId ? owner : undefined;
  }

  create(properties: Record<string, string>, now: string): SandboxRecord {
    const id = this.nextId();
    const record: SandboxRecord = {
      id,
      properties: { hs_object_id: id, createdate: now, [this.schema.lastModifiedProperty]: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.byId.set(id, record);
    this.write(record, properties, now);
    return record;
  }

  write(record: SandboxRecord, properties: Record<string, string>, now: string): void {
    for (const [name, value] of Object.entries(properties)) {
      this.unindex(record, name);
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
      this.index(record, name);
    }
    record.updatedAt = now;
    record.properties[this.schema.lastModifiedProperty] = now;
  }

  archive(id: string, now: string): boolean {
    const record = this.findById(id);
    if (record === undefined) return false;
    for (const name of Object.keys(record.properties)) this.unindex(record, name);
    record.archived = true;
    record.updatedAt = now;
    return true;
  }

  live(): SandboxRecord[] {
    return [...this.byId.values()].filter((record) => !record.archived);
  }

  /** Every record ever created (archived included), grouped by a property's value. */
  createsPer(property: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const record of this.byId.values()) {
      const value = record.properties[property];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  }

  private index(record: SandboxRecord, name: string): void {
    const value = record.properties[name];
    if (value === undefined || !this.schema.isUnique(name)) return;
    let index = this.unique.get(name);
    if (index === undefined) this.unique.set(name, (index = new Map()));
    index.set(this.schema.normalise(name, value), record.id);
  }

  private unindex(record: SandboxRecord, name: string): void {
    const value = record.properties[name];
    if (value === undefined) return;
    const index = this.unique.get(name);
    const key = this.schema.normalise(name, value);
    if (index?.get(key) === record.id) index.delete(key);
  }
}

/** All records of the sandbox; ids are unique across object types, as HubSpot's are per portal. */
export class RecordStore {
  private readonly objects = new Map<string, ObjectRecords>();
  private lastId = 100_000;

  of(schema: ObjectSchema): ObjectRecords {
    let records = this.objects.get(schema.id);
    if (records === undefined) {
      records = new ObjectRecords(schema, () => String(++this.lastId));
      this.objects.set(schema.id, records);
    }
    return records;
  }
}
