import type { Client } from '@hubspot/api-client';
import type { RemoteField } from '../connector.ts';

interface HubspotProperty {
  name: string;
  type: string;
  hasUniqueValue?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}

/**
 * Properties of an object from HubSpot's properties API. `unique` means "usable as idProperty": a
 * property with unique values, or contacts' email, which HubSpot does not flag as unique but accepts
 * (and enforces) as the contact identifier.
 */
export async function describeObject(client: Client, object: string, timed: <T>(call: Promise<T>) => Promise<T>): Promise<RemoteField[]> {
  const response = await timed(client.crm.properties.coreApi.getAllWithHttpInfo(object, false));
  return (response.data.results as HubspotProperty[]).map((property) => ({
    name: property.name,
    type: property.type,
    writable: !(property.modificationMetadata?.readOnlyValue ?? property.calculated ?? false),
    unique: property.hasUniqueValue === true || (object === 'contacts' && property.name === 'email'),
  }));
}
