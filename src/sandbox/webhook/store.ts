import type { JsonValue } from '../../core/values.ts';

export interface ReceivedRecord {
  id: string;
  fields: Record<string, JsonValue>;
}

export interface WebhookReceiverStats {
  requests: number;
  /** Calls refused for a missing, malformed or wrong signature, and for a stale timestamp. */
  badSignatures: number;
  staleSignatures: number;
  serverErrors: number;
  rateLimited: number;
  rejectedCalls: number;
  /** Changes applied, and changes acknowledged without applying because their key was already applied. */
  applied: number;
  duplicates: number;
  batchSizes: number[];
  /** `Idempotency-Key` header of every accepted call. */
  batchKeys: string[];
  /** Times a change was applied per `object/key`: more than one for the same change means a double apply. */
  applicationsPerKey: Record<string, number>;
  /** Records created per `object/key`: more than one without a delete in between would be a duplicate. */
  createsPerKey: Record<string, number>;
}

export function emptyReceiverStats(): WebhookReceiverStats {
  return { requests: 0, badSignatures: 0, staleSignatures: 0, serverErrors: 0, rateLimited: 0, rejectedCalls: 0, applied: 0, duplicates: 0, batchSizes: [], batchKeys: [], applicationsPerKey: {}, createsPerKey: {} };
}

/**
 * What the receiver holds per object and key, plus the idempotency key of the last change applied to
 * each record: a change carrying that same key again is a re-send and is acknowledged, not applied.
 */
export class ReceiverStore {
  private readonly objects = new Map<string, Map<string, ReceivedRecord>>();
  private readonly lastApplied = new Map<string, string>();
  private nextId = 1;
  stats: WebhookReceiverStats = emptyReceiverStats();

  table(object: string): Map<string, ReceivedRecord> {
    let table = this.objects.get(object);
    if (!table) this.objects.set(object, (table = new Map()));
    return table;
  }

  isDuplicate(object: string, key: string, idempotencyKey: string): boolean {
    return this.lastApplied.get(`${object}/${key}`) === idempotencyKey;
  }

  markApplied(object: string, key: string, idempotencyKey: string): void {
    const id = `${object}/${key}`;
    this.lastApplied.set(id, idempotencyKey);
    this.stats.applicationsPerKey[id] = (this.stats.applicationsPerKey[id] ?? 0) + 1;
    this.stats.applied += 1;
  }

  create(object: string, key: string): ReceivedRecord {
    const id = `${object}/${key}`;
    this.stats.createsPerKey[id] = (this.stats.createsPerKey[id] ?? 0) + 1;
    return { id: `wh_${this.nextId++}`, fields: {} };
  }

  clear(): void {
    this.objects.clear();
    this.lastApplied.clear();
    this.stats = emptyReceiverStats();
  }
}
