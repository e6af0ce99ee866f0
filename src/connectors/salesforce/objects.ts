import { TerminalError } from '../../core/errors.ts';

/**
 * Standard sObjects a reverse-ETL sync commonly writes. Any custom object (`…__c`) is allowed too; other
 * standard objects can be added per connection with the `objects` option.
 */
export const STANDARD_OBJECTS: readonly string[] = [
  'Account', 'Contact', 'Lead', 'Opportunity', 'OpportunityLineItem', 'Case', 'Campaign', 'CampaignMember',
  'Task', 'Event', 'Product2', 'Pricebook2', 'PricebookEntry', 'Order', 'OrderItem', 'Contract', 'Asset',
  'Quote', 'QuoteLineItem', 'Individual', 'AccountContactRelation', 'ContentNote', 'Note', 'User',
];

const standard = new Map(STANDARD_OBJECTS.map((name) => [name.toLowerCase(), name]));

export function checkObjectName(object: string, extra: readonly string[] = []): void {
  if (/^[A-Za-z]\w*__c$/.test(object) && !object.includes('___')) return;
  if (extra.includes(object)) return;
  const known = standard.get(object.toLowerCase());
  if (known === object) return;
  const hint = known ? ` Did you mean "${known}"? API names are case-sensitive.` : ` If it is a standard object, add it to the connection's objects option (e.g. objects: ['${object}']).`;
  throw new TerminalError(`"${object}" is not a known Salesforce standard object or a custom object (API name ending in __c).${hint}`, { code: 'UNKNOWN_OBJECT' });
}
