import { TerminalError } from '../../core/errors.ts';
import type { ObjectCapabilities } from '../connector.ts';
import type { IntercomObject } from './payload.ts';
import type { AttributeModel } from './schema.ts';

export interface ObjectSpec {
  object: IntercomObject;
  /** The data-attribute model of the object. */
  model: AttributeModel;
  /** The only field an upsert can address records by. */
  matchOn: string;
}

export const INTERCOM_OBJECTS: Record<IntercomObject, ObjectSpec> = {
  contacts: { object: 'contacts', model: 'contact', matchOn: 'external_id' },
  companies: { object: 'companies', model: 'company', matchOn: 'company_id' },
};

/**
 * Records per applyBatch. Intercom takes one record per request, so a batch is a unit of
 * bookkeeping, not a wire batch: small enough that a 429 part-way costs little, large enough to keep
 * `maxConcurrent` requests busy.
 */
export const BATCH_SIZE = 10;

export function objectSpec(object: string): ObjectSpec {
  const spec = INTERCOM_OBJECTS[object as IntercomObject];
  if (spec === undefined || !Object.hasOwn(INTERCOM_OBJECTS, object)) {
    throw new TerminalError(`Intercom has no object '${object}' here: use one of ${Object.keys(INTERCOM_OBJECTS).join(', ')}`, { code: 'UNKNOWN_OBJECT' });
  }
  return spec;
}

export function capabilitiesOf(object: string): ObjectCapabilities {
  objectSpec(object);
  return {
    operations: ['upsert', 'create', 'update', 'delete'],
    maxBatchSize: { upsert: BATCH_SIZE, create: BATCH_SIZE, update: BATCH_SIZE, delete: BATCH_SIZE },
  };
}
