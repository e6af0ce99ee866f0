import type { JsonValue } from '../../core/values.ts';
import type { AttributeModel, CustomAttributeDefinition } from './options.ts';

export type ContactRole = 'user' | 'lead';

/** The writable contact attributes the sandbox keeps (a subset of Intercom's contact model). */
export interface StoredContact {
  id: string;
  role: ContactRole;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  owner_id: number | null;
  signed_up_at: number | null;
  last_seen_at: number | null;
  unsubscribed_from_emails: boolean;
  custom_attributes: Record<string, JsonValue>;
  created_at: number;
  updated_at: number;
  /** Millisecond creation time, for the search-lag knob. */
  createdAtMs: number;
}

export interface StoredCompany {
  id: string;
  company_id: string;
  name: string | null;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number | null;
  remote_created_at: number | null;
  custom_attributes: Record<string, JsonValue>;
  created_at: number;
  updated_at: number;
}

export interface StoredAttribute extends CustomAttributeDefinition {
  id: number;
  created_at: number;
}

/**
 * In-memory state of one sandbox workspace. Lookups by email ignore case, as Intercom does; the
 * creation counters are what prove "no duplicates" (one create per key, ever).
 */
export class IntercomStore {
  readonly contacts = new Map<string, StoredContact>();
  readonly companies = new Map<string, StoredCompany>();
  readonly attributes: StoredAttribute[] = [];
  /** Creations per record key: contacts by external_id (else email, else id), companies by company_id. */
  readonly creates = { contacts: new Map<string, number>(), companies: new Map<string, number>() };
  private nextId = 1;
  private nextAttributeId = 1;

  constructor(attributes: CustomAttributeDefinition[]) {
    for (const attribute of attributes) this.addAttribute(attribute);
  }

  /** 24 hex digits, shaped like Intercom's ids. */
  newId(): string {
    const counter = (this.nextId++).toString(16).padStart(8, '0');
    return `65${'0'.repeat(14)}${counter}`;
  }

  addAttribute(definition: CustomAttributeDefinition): StoredAttribute {
    const stored: StoredAttribute = { ...definition, id: this.nextAttributeId++, created_at: Math.floor(Date.now() / 1000) };
    this.attributes.push(stored);
    return stored;
  }

  attribute(model: AttributeModel, name: string): StoredAttribute | undefined {
    return this.attributes.find((a) => a.model === model && a.name === name);
  }

  contactByEmail(email: string): StoredContact | undefined {
    const wanted = email.toLowerCase();
    for (const contact of this.contacts.values()) if (contact.email?.toLowerCase() === wanted) return contact;
    return undefined;
  }

  contactByExternalId(externalId: string): StoredContact | undefined {
    for (const contact of this.contacts.values()) if (contact.external_id === externalId) return contact;
    return undefined;
  }

  companyByCompanyId(companyId: string): StoredCompany | undefined {
    for (const company of this.companies.values()) if (company.company_id === companyId) return company;
    return undefined;
  }

  countCreate(object: 'contacts' | 'companies', key: string): void {
    const counts = this.creates[object];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

export function contactKey(contact: StoredContact): string {
  return contact.external_id ?? contact.email ?? contact.id;
}
