import type { Row } from '../../core/values.ts';
import type { StoredAttribute, StoredCompany, StoredContact } from './store.ts';

export const WORKSPACE_ID = 'ebbsandbox';

function emptyList(url: string): Record<string, unknown> {
  return { type: 'list', data: [], url, total_count: 0, has_more: false };
}

/** The contact as Intercom's API returns it (the fields a client reads, with Intercom's envelope). */
export function contactJson(contact: StoredContact): Record<string, unknown> {
  const { createdAtMs: _createdAtMs, ...fields } = contact;
  return {
    type: 'contact',
    ...fields,
    workspace_id: WORKSPACE_ID,
    location: { type: 'location', country: null, region: null, city: null },
    social_profiles: { type: 'list', data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    tags: emptyList(`/contacts/${contact.id}/tags`),
    notes: emptyList(`/contacts/${contact.id}/notes`),
    companies: emptyList(`/contacts/${contact.id}/companies`),
  };
}

export function companyJson(company: StoredCompany): Record<string, unknown> {
  return {
    type: 'company',
    id: company.id,
    app_id: WORKSPACE_ID,
    company_id: company.company_id,
    name: company.name,
    plan: company.plan === null ? {} : { type: 'plan', id: `plan-${company.plan}`, name: company.plan },
    size: company.size,
    website: company.website,
    industry: company.industry,
    monthly_spend: company.monthly_spend,
    remote_created_at: company.remote_created_at,
    custom_attributes: company.custom_attributes,
    created_at: company.created_at,
    updated_at: company.updated_at,
    user_count: 0,
    session_count: 0,
    tags: { type: 'tag.list', tags: [] },
    segments: { type: 'segment.list', segments: [] },
  };
}

export function attributeJson(attribute: StoredAttribute): Record<string, unknown> {
  return {
    type: 'data_attribute',
    id: attribute.id,
    model: attribute.model,
    name: attribute.name,
    full_name: `custom_attributes.${attribute.name}`,
    label: attribute.name,
    data_type: attribute.data_type,
    api_writable: true,
    ui_writable: true,
    custom: true,
    archived: false,
    created_at: attribute.created_at,
    updated_at: attribute.created_at,
  };
}

/** A flat row for read-back: custom attributes become `custom_attributes.<name>` keys, as a sync maps them. */
function flatten(fields: Record<string, unknown>, custom: Record<string, unknown>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(fields)) row[key] = value as Row[string];
  for (const [key, value] of Object.entries(custom)) row[`custom_attributes.${key}`] = value as Row[string];
  return row;
}

export function contactRow(contact: StoredContact): Row {
  const { custom_attributes, createdAtMs: _createdAtMs, ...fields } = contact;
  return flatten(fields, custom_attributes);
}

export function companyRow(company: StoredCompany): Row {
  const { custom_attributes, ...fields } = company;
  return flatten(fields, custom_attributes);
}
