import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../core/values.ts';

export type Fields = Record<string, JsonValue>;

export interface StoredRecord {
  id: string;
  fields: Fields;
}

export interface MemoryStats {
  requests: number;
  rateLimited: number;
  serverErrors: number;
  creates: number;
  updates: number;
  deletes: number;
  batchSizes: number[];
  createsPerKey: Record<string, number>;
}

/** Records per object, addressed by id and by the value of the match field. */
export class MemoryRecords {
  private readonly objects = new Map<string, Map<string, StoredRecord>>();
  readonly stats: MemoryStats = emptyStats();

  private table(object: string): Map<string, StoredRecord> {
    let table = this.objects.get(object);
    if (!table) this.objects.set(object, (table = new Map()));
    return table;
  }

  list(object: string): StoredRecord[] {
    return [...this.table(object).values()];
  }

  findById(object: string, id: string): StoredRecord | undefined {
    return this.table(object).get(id);
  }

  findByField(object: string, field: string, value: JsonValue): StoredRecord | undefined {
    for (const record of this.table(object).values()) if (record.fields[field] === value) return record;
    return undefined;
  }

  create(object: string, fields: Fields, matchValue: string): StoredRecord {
    const record = { id: randomUUID(), fields: { ...fields } };
    this.table(object).set(record.id, record);
    this.stats.creates += 1;
    this.stats.createsPerKey[matchValue] = (this.stats.createsPerKey[matchValue] ?? 0) + 1;
    return record;
  }

  update(record: StoredRecord, fields: Fields): void {
    Object.assign(record.fields, fields);
    this.stats.updates += 1;
  }

  delete(object: string, id: string): boolean {
    const deleted = this.table(object).delete(id);
    if (deleted) this.stats.deletes += 1;
    return deleted;
  }

  clear(): void {
    this.objects.clear();
    Object.assign(this.stats, emptyStats());
  }
}

function emptyStats(): MemoryStats {
  return { requests: 0, rateLimited: 0, serverErrors: 0, creates: 0, updates: 0, deletes: 0, batchSizes: [], createsPerKey: {} };
}
