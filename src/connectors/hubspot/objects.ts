import { TerminalError } from '../../core/errors.ts';
import type { ObjectCapabilities } from '../connector.ts';

/** HubSpot takes at most 100 inputs per batch call, for every batch endpoint this connector uses. */
export const HUBSPOT_MAX_BATCH = 100;

const STANDARD_OBJECTS = ['contacts', 'companies', 'deals'];
const CUSTOM_OBJECT_TYPE_ID = /^2-\d+$/;
/** `p_cars` or the fully qualified `p12345_cars`. */
const CUSTOM_OBJECT_NAME = /^p\d*_[a-z][a-z0-9_]*$/i;

export function isHubspotObject(object: string): boolean {
  return STANDARD_OBJECTS.includes(object) || CUSTOM_OBJECT_TYPE_ID.test(object) || CUSTOM_OBJECT_NAME.test(object);
}

export function assertHubspotObject(object: string): void {
  if (!isHubspotObject(object)) {
    throw new TerminalError(
      `hubspot: unknown object "${object}". Use contacts, companies, deals, or a custom object by its type id ` +
        `("2-123456") or name ("p_cars"); Settings → Data Management → Objects shows both.`,
      { code: 'UNKNOWN_OBJECT' },
    );
  }
}

export function hubspotCapabilities(object: string): ObjectCapabilities {
  assertHubspotObject(object);
  return {
    operations: ['upsert', 'create', 'update', 'delete'],
    maxBatchSize: { upsert: HUBSPOT_MAX_BATCH, create: HUBSPOT_MAX_BATCH, update: HUBSPOT_MAX_BATCH, delete: HUBSPOT_MAX_BATCH },
  };
}
