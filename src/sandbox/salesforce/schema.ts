import type { Value } from '../../core/values.ts';

/**
 * The sObjects the sandbox knows, with the describe metadata the real API reports for them. Only the
 * properties the connector and jsforce read are modelled; the rest of a describe is filled with defaults.
 */
export type FieldType =
  | 'id' | 'string' | 'textarea' | 'url' | 'email' | 'phone' | 'picklist' | 'multipicklist'
  | 'int' | 'double' | 'currency' | 'boolean' | 'date' | 'datetime' | 'reference';

export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  /**
   * Whether a unique field was created with "Treat "ABC" and "abc" as different values". Describe
   * reports it for every field, false unless set; upsert matching and the uniqueness check read it.
   */
  caseSensitive: boolean;
}

export interface ObjectSpec {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldSpec[];
}

type FieldOptions = Partial<Omit<FieldSpec, 'name' | 'type'>>;

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldSpec {
  const textual = ['string', 'textarea', 'url', 'email', 'phone', 'picklist', 'id', 'reference'].includes(type);
  // Describe reports 4099 for a multi-select picklist: the selected values joined with ';'.
  const length = type === 'textarea' ? 32000 : type === 'multipicklist' ? 4099 : textual ? 255 : 0;
  return {
    name,
    label: options.label ?? name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: options.length ?? length,
    createable: options.createable ?? true,
    updateable: options.updateable ?? true,
    nillable: options.nillable ?? true,
    defaultedOnCreate: options.defaultedOnCreate ?? false,
    externalId: options.externalId ?? false,
    unique: options.unique ?? false,
    caseSensitive: options.caseSensitive ?? false,
  };
}

/** A required field: not nillable and not defaulted, so a create without it fails REQUIRED_FIELD_MISSING. */
const required: FieldOptions = { nillable: false };
/**
 * A unique External ID made with "Treat "ABC" and "abc" as duplicate values": upsert matches its values
 * ignoring case, and "abc" is a duplicate of a stored "ABC".
 */
const caseInsensitiveExternalId: FieldOptions = { externalId: true, unique: true };
/** A unique External ID made with "Treat "ABC" and "abc" as different values": matched exactly. */
const caseSensitiveExternalId: FieldOptions = { ...caseInsensitiveExternalId, caseSensitive: true };
const systemField: FieldOptions = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };

function systemFields(): FieldSpec[] {
  return [
    field('Id', 'id', { ...systemField, length: 18 }),
    field('CreatedDate', 'datetime', systemField),
    field('LastModifiedDate', 'datetime', systemField),
    field('OwnerId', 'reference', { nillable: false, defaultedOnCreate: true, length: 18 }),
  ];
}

/**
 * Both kinds of External ID, so both matchings are exercised: External_Id__c (Account, Contact, Lead)
 * is case-sensitive, matching exactly as Ebb does by default for Salesforce (the example accounts sync
 * sets nothing); Customer__c.Customer_Key__c is case-insensitive, so a sync to it needs
 * `destination.matchIgnoresCase: true`, which `ebb validate --remote` checks.
 */
export const OBJECTS: readonly ObjectSpec[] = [
  {
    name: 'Account', label: 'Account', keyPrefix: '001', custom: false,
    fields: [
      ...systemFields(),
      field('Name', 'string', required),
      field('External_Id__c', 'string', { ...caseSensitiveExternalId, label: 'External Id' }),
      field('Website', 'url'),
      field('Industry', 'picklist'),
      // A standard field whose name is also the word REST records use for their object (attributes.type).
      field('Type', 'picklist', { label: 'Account Type' }),
      field('Regions__c', 'multipicklist'),
      field('NumberOfEmployees', 'int', { label: 'Employees' }),
      field('AnnualRevenue', 'currency'),
      field('Phone', 'phone'),
      field('BillingCity', 'string', { length: 40 }),
      field('Description', 'textarea'),
    ],
  },
  {
    name: 'Contact', label: 'Contact', keyPrefix: '003', custom: false,
    fields: [
      ...systemFields(),
      field('LastName', 'string', { ...required, length: 80 }),
      field('FirstName', 'string', { length: 40 }),
      field('Email', 'email', { length: 80 }),
      field('External_Id__c', 'string', { ...caseSensitiveExternalId, label: 'External Id' }),
      field('Phone', 'phone'),
      field('Title', 'string', { length: 128 }),
      field('AccountId', 'reference', { length: 18 }),
      field('HasOptedOutOfEmail', 'boolean', { nillable: false, defaultedOnCreate: true }),
      field('Birthdate', 'date'),
    ],
  },
  {
    name: 'Lead', label: 'Lead', keyPrefix: '00Q', custom: false,
    fields: [
      ...systemFields(),
      field('LastName', 'string', { ...required, length: 80 }),
      field('FirstName', 'string', { length: 40 }),
      field('Company', 'string', required),
      field('Email', 'email', { length: 80 }),
      field('External_Id__c', 'string', { ...caseSensitiveExternalId, label: 'External Id' }),
      field('Status', 'picklist', { nillable: false, defaultedOnCreate: true }),
      field('AnnualRevenue', 'currency'),
    ],
  },
  {
    name: 'Customer__c', label: 'Customer', keyPrefix: 'a01', custom: true,
    fields: [
      ...systemFields(),
      field('Name', 'string', { ...required, length: 80 }),
      field('Customer_Key__c', 'string', { ...caseInsensitiveExternalId, label: 'Customer Key' }),
      field('Email__c', 'email', { length: 80 }),
      field('Plan__c', 'picklist'),
      field('Seats__c', 'double'),
      field('Active__c', 'boolean', { nillable: false, defaultedOnCreate: true }),
      field('Signed_Up__c', 'date'),
      field('Last_Seen__c', 'datetime'),
    ],
  },
];

const byName = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));

/** sObject names are case-insensitive in URLs, as in Salesforce. */
export function findObject(name: string): ObjectSpec | undefined {
  return byName.get(name.toLowerCase());
}

export function findField(object: ObjectSpec, name: string): FieldSpec | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((f) => f.name.toLowerCase() === lower);
}

/** Fields a create must set: not nillable and not defaulted by the platform. */
export function requiredOnCreate(object: ObjectSpec): FieldSpec[] {
  return object.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate);
}

/**
 * The value a unique field is indexed and matched by. Salesforce matches an External ID ignoring case
 * only when the field is unique and not case-sensitive; otherwise values must be equal.
 */
export function matchingValue(field: FieldSpec, value: Value): string {
  const text = String(value);
  return field.unique && !field.caseSensitive ? text.toLowerCase() : text;
}

/** The field `createsPerKey` counts by when the caller names none: the object's first External ID. */
export function primaryExternalId(object: ObjectSpec): FieldSpec | undefined {
  return object.fields.find((f) => f.externalId);
}

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID', reference: 'tns:ID', string: 'xsd:string', textarea: 'xsd:string', url: 'xsd:string',
  email: 'xsd:string', phone: 'xsd:string', picklist: 'xsd:string', multipicklist: 'xsd:string',
  int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double', boolean: 'xsd:boolean', date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

/** The `GET /sobjects/{T}/describe` body. */
export function describeBody(object: ObjectSpec, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return {
    name: object.name,
    label: object.label,
    labelPlural: `${object.label}s`,
    keyPrefix: object.keyPrefix,
    custom: object.custom,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    fields: object.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      soapType: SOAP_TYPES[f.type],
      length: f.length,
      createable: f.createable,
      updateable: f.updateable,
      nillable: f.nillable,
      defaultedOnCreate: f.defaultedOnCreate,
      externalId: f.externalId,
      unique: f.unique,
      caseSensitive: f.caseSensitive,
      idLookup: f.externalId || f.type === 'id',
      calculated: false,
      custom: f.name.endsWith('__c'),
      picklistValues: [],
      referenceTo: f.type === 'reference' ? [f.name === 'OwnerId' ? 'User' : 'Account'] : [],
    })),
  };
}
