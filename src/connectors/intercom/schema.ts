import type { IntercomClient } from 'intercom-client';
import type { CallTracker } from './calls.ts';
import type { AttributeType } from './coerce.ts';
import { statusOf } from './errors.ts';

export type AttributeModel = 'contact' | 'company';

export interface RemoteAttribute {
  name: string;
  type: AttributeType;
  custom: boolean;
  writable: boolean;
}

/** What the workspace declares for one model. `known` is false when Intercom would not list it. */
export interface ModelSchema {
  known: boolean;
  attributes: RemoteAttribute[];
  customType(name: string): AttributeType | undefined;
}

function schemaOf(attributes: RemoteAttribute[], known: boolean): ModelSchema {
  const custom = new Map(attributes.filter((a) => a.custom).map((a) => [a.name, a.type]));
  return { known, attributes, customType: (name) => custom.get(name) };
}

const TYPES = new Set<AttributeType>(['string', 'integer', 'float', 'boolean', 'date']);

/**
 * The workspace's data attributes, fetched once per session and model (one `GET /data_attributes`),
 * so custom attribute values can be sent in the type Intercom declared for them. A token that may not
 * list attributes (403/404) still syncs, just without that conversion; other failures are thrown to
 * the batch that needed the schema and the next batch asks again.
 */
export class AttributeSchemas {
  private readonly loads = new Map<AttributeModel, Promise<ModelSchema>>();

  constructor(private readonly client: IntercomClient) {}

  get(model: AttributeModel, tracker: CallTracker): Promise<ModelSchema> {
    let load = this.loads.get(model);
    if (load === undefined) {
      load = this.fetch(model, tracker);
      this.loads.set(model, load);
      load.catch(() => this.loads.delete(model));
    }
    return load;
  }

  private async fetch(model: AttributeModel, tracker: CallTracker): Promise<ModelSchema> {
    try {
      const list = await tracker.send(() => this.client.dataAttributes.list({ model }));
      const attributes: RemoteAttribute[] = (list.data ?? []).flatMap((a) => {
        // Newer API versions also declare `datetime`: epoch seconds, like `date`.
        const type = (a.data_type as string) === 'datetime' ? 'date' : (a.data_type as AttributeType);
        return typeof a.name === 'string' && TYPES.has(type) ? [{ name: a.name, type, custom: a.custom === true, writable: a.api_writable !== false }] : [];
      });
      return schemaOf(attributes, true);
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) return schemaOf([], false);
      throw error;
    }
  }
}
