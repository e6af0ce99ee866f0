import { createHash } from 'node:crypto';
import type { ConnectorDefinition, ObjectCapabilities, WriteOperation } from '../connector.ts';
import { openMemorySession } from './session.ts';

export interface MemoryConnectorOptions {
  /** URL of a running memory sandbox (`ebb sandbox memory`). */
  baseUrl: string;
  /** Budget the engine paces to; match the sandbox's `requestsPerWindow` to see zero 429s. */
  requestsPerWindow?: number;
  windowMs?: number;
  maxConcurrent?: number;
  maxBatchSize?: number;
  /** Abort a call after this long; the engine retries it as transient. */
  timeoutMs?: number;
  /** Objects that exist; any simple name when omitted. */
  objects?: string[];
  /**
   * false: the objects cannot be upserted by matchOn, so new records go out as plain creates (as
   * HubSpot deals matched on a non-unique property, or Salesforce inserts without an External ID).
   */
  upsert?: boolean;
}

const OPERATIONS: WriteOperation[] = ['upsert', 'create', 'update', 'delete'];

export function memoryOptions(options: Record<string, unknown>): MemoryConnectorOptions {
  return options as unknown as MemoryConnectorOptions;
}

/**
 * The in-repo destination for tests and for trying the engine: every object exists, every operation
 * is supported, and the sandbox behind it has failure knobs (rejections, 429s, 500s, timeouts).
 */
export const memoryConnector: ConnectorDefinition = {
  kind: 'memory',
  validateOptions(options) {
    const problems: string[] = [];
    if (typeof options['baseUrl'] !== 'string' || !/^https?:\/\//.test(options['baseUrl'])) {
      problems.push('baseUrl must be the http(s) URL of a memory sandbox, e.g. http://127.0.0.1:4040 (start one with `ebb sandbox memory`)');
    }
    for (const name of ['requestsPerWindow', 'windowMs', 'maxConcurrent', 'maxBatchSize', 'timeoutMs']) {
      const value = options[name];
      if (value !== undefined && (typeof value !== 'number' || !(value > 0))) problems.push(`${name} must be a positive number`);
    }
    if (options['upsert'] !== undefined && typeof options['upsert'] !== 'boolean') problems.push('upsert must be true or false');
    return problems;
  },
  capabilities(object, options): ObjectCapabilities {
    if (!/^[A-Za-z][\w-]*$/.test(object)) throw new Error(`memory objects are simple names like "contacts"; got "${object}"`);
    const { objects, maxBatchSize, upsert } = memoryOptions(options);
    if (objects && !objects.includes(object)) throw new Error(`object "${object}" is not one of this memory destination's objects: ${objects.join(', ')}`);
    const max = maxBatchSize ?? 100;
    return { operations: upsert === false ? OPERATIONS.filter((op) => op !== 'upsert') : OPERATIONS, maxBatchSize: { upsert: max, create: max, update: max, delete: max } };
  },
  rateBudget(options) {
    const o = memoryOptions(options);
    return { requests: o.requestsPerWindow ?? 1000, windowMs: o.windowMs ?? 1000, maxConcurrent: o.maxConcurrent ?? 4 };
  },
  accountKey(options) {
    return `memory:${createHash('sha256').update(String(options['baseUrl'])).digest('hex').slice(0, 12)}`;
  },
  open: async (options) => openMemorySession(memoryOptions(options)),
};
