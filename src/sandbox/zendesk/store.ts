import type { JsonValue } from '../../core/values.ts';
import type { ZendeskSandboxStats } from './stats.ts';

export type ZendeskObject = 'users' | 'organizations';
export const ZENDESK_OBJECTS: readonly ZendeskObject[] = ['users', 'organizations'];

/** A stored user or organization: Zendesk's own attribute names, plus its numeric id. */
export type ZendeskRecord = { id: number } & Record<string, JsonValue>;

/** The attributes Zendesk lets a client write; anything else in a payload is ignored, as Zendesk does. */
const WRITABLE: Record<ZendeskObject, ReadonlySet<string>> = {
  users: new Set([
    'name', 'email', 'external_id', 'phone', 'organization_id', 'role', 'tags', 'notes', 'details', 'alias',
    'locale', 'time_zone', 'verified', 'suspended', 'signature', 'shared_phone_number', 'moderator',
    'ticket_restriction', 'only_private_comments', 'restricted_agent', 'default_group_id', 'custom_role_id',
    'remote_photo_url',
  ]),
  organizations: new Set(['name', 'external_id', 'domain_names', 'details', 'notes', 'tags', 'group_id', 'shared_tickets', 'shared_comments']),
};

export const CUSTOM_FIELDS_ATTRIBUTE: Record<ZendeskObject, string> = { users: 'user_fields', organizations: 'organization_fields' };

const lower = (value: JsonValue | undefined): string | null => (typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase() : null);

/** Users and organizations of one sandbox account. Lookups by external_id and email are case-insensitive, as in Zendesk. */
export class ZendeskStore {
  private readonly tables: Record<ZendeskObject, Map<number, ZendeskRecord>> = { users: new Map(), organizations: new Map() };
  readonly deleted: Record<ZendeskObject, ZendeskRecord[]> = { users: [], organizations: [] };
  /** Custom field keys ever written, which define the fields when the sandbox accepts any key. */
  readonly writtenCustomKeys: Record<ZendeskObject, Set<string>> = { users: new Set(), organizations: new Set() };
  private nextId = 360_000_000_001;

  /** Defined custom field keys per object; `null` accepts (and defines) any key on first write. */
  constructor(
    private readonly stats: ZendeskSandboxStats,
    readonly customFields: Record<ZendeskObject, Set<string> | null>,
  ) {}

  list(object: ZendeskObject): ZendeskRecord[] {
    return [...this.tables[object].values()];
  }

  byId(object: ZendeskObject, id: number): ZendeskRecord | undefined {
    return this.tables[object].get(id);
  }

  findBy(object: ZendeskObject, attribute: 'external_id' | 'email' | 'name', value: JsonValue | undefined): ZendeskRecord | undefined {
    const wanted = lower(value);
    if (wanted === null) return undefined;
    for (const record of this.tables[object].values()) if (lower(record[attribute]) === wanted) return record;
    return undefined;
  }

  create(object: ZendeskObject, input: Record<string, JsonValue>): ZendeskRecord {
    const now = new Date().toISOString();
    const record: ZendeskRecord = { id: this.nextId++, created_at: now, updated_at: now, [CUSTOM_FIELDS_ATTRIBUTE[object]]: {} };
    if (object === 'users') Object.assign(record, { role: 'end-user', active: true, tags: [] });
    if (object === 'organizations') Object.assign(record, { domain_names: [], tags: [] });
    this.write(object, record, input);
    this.tables[object].set(record.id, record);
    const key = String(record.external_id ?? record.email ?? record.id);
    const creates = this.stats.createsPerKey[object];
    creates[key] = (creates[key] ?? 0) + 1;
    return record;
  }

  update(object: ZendeskObject, record: ZendeskRecord, input: Record<string, JsonValue>): void {
    this.write(object, record, input);
    record.updated_at = new Date().toISOString();
  }

  /** Soft delete: the record leaves the account but stays visible to read-back under `deleted`. */
  remove(object: ZendeskObject, id: number): ZendeskRecord | undefined {
    const record = this.tables[object].get(id);
    if (!record) return undefined;
    this.tables[object].delete(id);
    this.deleted[object].push({ ...record, active: false });
    return record;
  }

  clear(): void {
    for (const object of ZENDESK_OBJECTS) {
      this.tables[object].clear();
      this.deleted[object] = [];
      this.writtenCustomKeys[object].clear();
    }
  }

  private write(object: ZendeskObject, record: ZendeskRecord, input: Record<string, JsonValue>): void {
    const customAttribute = CUSTOM_FIELDS_ATTRIBUTE[object];
    for (const [attribute, value] of Object.entries(input)) {
      if (attribute === customAttribute) this.writeCustomFields(object, record, value);
      else if (WRITABLE[object].has(attribute)) record[attribute] = attribute === 'external_id' && typeof value === 'number' ? String(value) : value;
      else this.stats.ignoredFields.push(`${object}.${attribute}`);
    }
  }

  private writeCustomFields(object: ZendeskObject, record: ZendeskRecord, value: JsonValue): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const attribute = CUSTOM_FIELDS_ATTRIBUTE[object];
    const current = record[attribute];
    const fields: Record<string, JsonValue> = current !== null && typeof current === 'object' && !Array.isArray(current) ? current : {};
    const defined = this.customFields[object];
    for (const [key, fieldValue] of Object.entries(value)) {
      if (defined && !defined.has(key)) {
        this.stats.ignoredFields.push(`${object}.${attribute}.${key}`);
        continue;
      }
      fields[key] = fieldValue;
      this.writtenCustomKeys[object].add(key);
    }
    record[attribute] = fields;
  }
}
