import type { IntercomClient } from 'intercom-client';
import { TerminalError } from '../../core/errors.ts';
import type { Batch, BatchResult, CallPacing, ConnectorSession, RemoteField } from '../connector.ts';
import { CallTracker } from './calls.ts';
import { writeCompany } from './companies.ts';
import { writeContact } from './contacts.ts';
import { asCallError } from './errors.ts';
import { objectSpec } from './objects.ts';
import type { IntercomOptions } from './options.ts';
import { checkFieldNames, CUSTOM_PREFIX, STANDARD_FIELDS } from './payload.ts';
import { runRecords, settle } from './run-batch.ts';
import { AttributeSchemas, type AttributeModel, type ModelSchema } from './schema.ts';
import type { WriteContext } from './write-context.ts';

/**
 * Applies batches as single-record requests (Intercom has no batch endpoint for contacts), at most
 * `maxConcurrent` in flight, each after the first paced by the engine, with intercom-client's own
 * retries off: the engine owns pacing and retries.
 */
export class IntercomSession implements ConnectorSession {
  private readonly schemas: AttributeSchemas;

  constructor(
    private readonly client: IntercomClient,
    private readonly options: IntercomOptions,
  ) {
    this.schemas = new AttributeSchemas(client);
  }

  async applyBatch(batch: Batch, pacing?: CallPacing): Promise<BatchResult> {
    const spec = objectSpec(batch.object);
    if (batch.matchOn !== spec.matchOn) {
      throw new TerminalError(
        `Intercom ${spec.object} are matched on ${spec.matchOn}, not '${batch.matchOn}': set destination.matchOn to '${spec.matchOn}' and map the row key to it`,
        { code: 'UNSUPPORTED_MATCH_ON' },
      );
    }
    if (batch.items.length === 0) return { results: [], calls: 0 };
    if (batch.operation !== 'delete') checkFieldNames(spec.object, batch.items);

    const tracker = new CallTracker(pacing);
    const ctx: WriteContext = { client: this.client, tracker, schema: await this.schema(spec.model, tracker), defaultRole: this.options.role };
    const write = spec.object === 'contacts' ? writeContact : writeCompany;
    const outcomes = await runRecords(batch.items, this.options.maxConcurrent, (item) => write(ctx, batch.operation, item));
    const settled = settle(outcomes);
    return { ...settled, calls: tracker.calls, ...(tracker.rateLimit ? { rateLimit: tracker.rateLimit } : {}) };
  }

  /** Standard attributes plus the workspace's custom ones (as `custom_attributes.<name>`), for `ebb validate`. */
  async describe(object: string): Promise<RemoteField[]> {
    const spec = objectSpec(object);
    const schema = await this.schema(spec.model, new CallTracker());
    const standard = Object.entries(STANDARD_FIELDS[spec.object]).map(([name, type]) => ({ name, type, writable: true, unique: name === spec.matchOn }));
    const custom = schema.attributes
      .filter((a) => a.custom)
      .map((a) => ({ name: `${CUSTOM_PREFIX}${a.name}`, type: a.type, writable: a.writable }));
    return [...standard, ...custom];
  }

  private async schema(model: AttributeModel, tracker: CallTracker): Promise<ModelSchema> {
    try {
      return await this.schemas.get(model, tracker);
    } catch (error) {
      throw asCallError(error);
    }
  }

  async close(): Promise<void> {
    // intercom-client holds no connections of its own (it uses the global fetch).
  }
}
