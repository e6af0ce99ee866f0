import type { SandboxProperty } from './types.ts';

/**
 * A realistic subset of HubSpot's default properties per standard object, with HubSpot's internal
 * names, data types and enumeration options, plus one customer-made unique property per object so
 * upserts have an idProperty (HubSpot only upserts companies and deals by a unique-value property).
 */

const options = (...values: [string, string][]) => values.map(([value, label]) => ({ value, label }));

const LIFECYCLE_STAGES = options(
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
);

const BOOL_OPTIONS = options(['true', 'True'], ['false', 'False']);

/** Read-only bookkeeping properties HubSpot keeps on every object. */
function systemProperties(lastModified: string): SandboxProperty[] {
  return [
    { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true },
    { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', readOnly: true },
    { name: lastModified, label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnly: true },
  ];
}

export const CONTACT_PROPERTIES: SandboxProperty[] = [
  // HubSpot reports hasUniqueValue=false for email, yet enforces uniqueness and accepts it as idProperty.
  { name: 'email', label: 'Email', type: 'string', fieldType: 'text' },
  { name: 'firstname', label: 'First Name', type: 'string', fieldType: 'text' },
  { name: 'lastname', label: 'Last Name', type: 'string', fieldType: 'text' },
  { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'mobilephone', label: 'Mobile Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'company', label: 'Company Name', type: 'string', fieldType: 'text' },
  { name: 'jobtitle', label: 'Job Title', type: 'string', fieldType: 'text' },
  { name: 'website', label: 'Website URL', type: 'string', fieldType: 'text' },
  { name: 'city', label: 'City', type: 'string', fieldType: 'text' },
  { name: 'country', label: 'Country/Region', type: 'string', fieldType: 'text' },
  { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: LIFECYCLE_STAGES },
  {
    name: 'hs_lead_status',
    label: 'Lead Status',
    type: 'enumeration',
    fieldType: 'radio',
    options: options(
      ['NEW', 'New'],
      ['OPEN', 'Open'],
      ['IN_PROGRESS', 'In Progress'],
      ['OPEN_DEAL', 'Open Deal'],
      ['UNQUALIFIED', 'Unqualified'],
      ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
      ['CONNECTED', 'Connected'],
      ['BAD_TIMING', 'Bad Timing'],
    ),
  },
  { name: 'hs_email_optout', label: 'Unsubscribed from all email', type: 'bool', fieldType: 'booleancheckbox', options: BOOL_OPTIONS },
  { name: 'date_of_birth', label: 'Date of birth', type: 'date', fieldType: 'date' },
  { name: 'num_employees_custom', label: 'Employees (custom)', type: 'number', fieldType: 'number', custom: true },
  { name: 'num_notes', label: 'Number of Sales Activities', type: 'number', fieldType: 'number', readOnly: true },
  ...systemProperties('lastmodifieddate'),
];

export const COMPANY_PROPERTIES: SandboxProperty[] = [
  { name: 'domain', label: 'Company Domain Name', type: 'string', fieldType: 'text' },
  { name: 'name', label: 'Company name', type: 'string', fieldType: 'text' },
  {
    name: 'industry',
    label: 'Industry',
    type: 'enumeration',
    fieldType: 'select',
    options: options(
      ['ACCOUNTING', 'Accounting'],
      ['AIRLINES_AVIATION', 'Airlines/Aviation'],
      ['BANKING', 'Banking'],
      ['COMPUTER_SOFTWARE', 'Computer Software'],
      ['FINANCIAL_SERVICES', 'Financial Services'],
      ['HOSPITAL_HEALTH_CARE', 'Hospital & Health Care'],
      ['INFORMATION_TECHNOLOGY_AND_SERVICES', 'Information Technology and Services'],
      ['MARKETING_AND_ADVERTISING', 'Marketing and Advertising'],
      ['RETAIL', 'Retail'],
    ),
  },
  { name: 'numberofemployees', label: 'Number of Employees', type: 'number', fieldType: 'number' },
  { name: 'annualrevenue', label: 'Annual Revenue', type: 'number', fieldType: 'number' },
  { name: 'city', label: 'City', type: 'string', fieldType: 'text' },
  { name: 'country', label: 'Country/Region', type: 'string', fieldType: 'text' },
  { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: LIFECYCLE_STAGES },
  { name: 'is_public', label: 'Is Public', type: 'bool', fieldType: 'booleancheckbox', options: BOOL_OPTIONS },
  { name: 'ebb_company_id', label: 'Ebb company id', type: 'string', fieldType: 'text', hasUniqueValue: true, custom: true },
  ...systemProperties('hs_lastmodifieddate'),
];

export const DEAL_PROPERTIES: SandboxProperty[] = [
  { name: 'dealname', label: 'Deal Name', type: 'string', fieldType: 'text' },
  { name: 'amount', label: 'Amount', type: 'number', fieldType: 'number' },
  {
    name: 'dealstage',
    label: 'Deal Stage',
    type: 'enumeration',
    fieldType: 'radio',
    options: options(
      ['appointmentscheduled', 'Appointment Scheduled'],
      ['qualifiedtobuy', 'Qualified To Buy'],
      ['presentationscheduled', 'Presentation Scheduled'],
      ['decisionmakerboughtin', 'Decision Maker Bought-In'],
      ['contractsent', 'Contract Sent'],
      ['closedwon', 'Closed Won'],
      ['closedlost', 'Closed Lost'],
    ),
  },
  { name: 'pipeline', label: 'Pipeline', type: 'enumeration', fieldType: 'select', options: options(['default', 'Sales Pipeline']) },
  { name: 'closedate', label: 'Close Date', type: 'datetime', fieldType: 'date' },
  { name: 'dealtype', label: 'Deal Type', type: 'enumeration', fieldType: 'radio', options: options(['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']) },
  { name: 'hs_priority', label: 'Priority', type: 'enumeration', fieldType: 'radio', options: options(['low', 'Low'], ['medium', 'Medium'], ['high', 'High']) },
  { name: 'description', label: 'Deal Description', type: 'string', fieldType: 'textarea' },
  { name: 'ebb_deal_id', label: 'Ebb deal id', type: 'string', fieldType: 'text', hasUniqueValue: true, custom: true },
  ...systemProperties('hs_lastmodifieddate'),
];

/** Properties every custom object starts with, besides the ones its definition lists. */
export function customObjectBaseProperties(): SandboxProperty[] {
  return systemProperties('hs_lastmodifieddate');
}
