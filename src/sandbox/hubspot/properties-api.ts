import type { ObjectSchema } from './schema.ts';
import type { SandboxProperty } from './types.ts';

const DEFINED_AT = '2020-01-01T00:00:00.000Z';

const DEFAULT_FIELD_TYPE: Record<SandboxProperty['type'], string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
  phone_number: 'phonenumber',
};

/** `GET /crm/v3/properties/{objectType}`: HubSpot's Property shape for every property of the object. */
export function listProperties(schema: ObjectSchema): { results: Record<string, unknown>[] } {
  return { results: [...schema.properties.values()].map((property, index) => renderProperty(property, index)) };
}

function renderProperty(property: SandboxProperty, displayOrder: number): Record<string, unknown> {
  const readOnly = property.readOnly === true;
  return {
    name: property.name,
    label: property.label ?? property.name,
    type: property.type,
    fieldType: property.fieldType ?? DEFAULT_FIELD_TYPE[property.type],
    description: property.description ?? '',
    groupName: property.groupName ?? (property.custom ? 'custom_properties' : 'information'),
    options: (property.options ?? []).map((option, order) => ({ ...option, displayOrder: order, hidden: false })),
    displayOrder,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: property.hasUniqueValue === true,
    hidden: false,
    hubspotDefined: property.custom !== true,
    formField: !readOnly,
    modificationMetadata: { archivable: property.custom === true, readOnlyDefinition: property.custom !== true, readOnlyValue: readOnly },
    createdAt: DEFINED_AT,
    updatedAt: DEFINED_AT,
    archived: false,
  };
}
