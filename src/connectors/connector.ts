import type { RowError } from '../core/errors.ts';
import type { SyncMode } from '../core/sync.ts';
import type { Row } from '../core/values.ts';

/**
 * A destination. Split, as dlt does, into a cheap static *definition* (capabilities, limits) and a
 * *session* that does the network calls. The session applies one batch of one operation and returns
 * one result per item. It never sleeps, retries, batches or reads the snapshot — the engine does —
 * and throws typed errors (core/errors.ts) for whole-call failures:
 *   RateLimitedError(retryAfterMs) · TransientError · AuthError · QuotaExhaustedError · TerminalError
 * A batch that fails after several calls marks the error with `withCallsMade` so the count stays true.
 */

/**
 * The wire-level operation. `upsert` addresses records by the sync's `matchOn` field and is what makes
 * a re-sent batch safe after a crash; `update` and `delete` address by the stored remote id when there
 * is one, otherwise by `matchOn`.
 */
export type WriteOperation = 'upsert' | 'create' | 'update' | 'delete';

export interface ObjectCapabilities {
  operations: WriteOperation[];
  /** Largest batch per operation the destination accepts in one call. */
  maxBatchSize: Record<WriteOperation, number>;
  /**
   * An asynchronous bulk path (Salesforce Bulk API 2.0): when one run has at least `threshold` changes
   * of one operation, the engine sends batches of up to `maxBatchSize`, and the session takes the bulk
   * path for any batch larger than `maxBatchSize[operation]`.
   */
  bulk?: { threshold: number; maxBatchSize: number };
  /**
   * A create sent twice still makes one record (the webhook's idempotency keys): the engine may then
   * re-send a create whose call failed ambiguously. Otherwise it never does (the record may exist).
   */
  idempotentCreates?: boolean;
}

/** How fast the engine may call one destination account. */
export interface RateBudget {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
  /** Calls in flight at once. */
  maxConcurrent: number;
}

export interface BatchItem {
  /** The model's row key. */
  key: string;
  /**
   * Full mapped payload after the change (destination field → value). For a delete, only the matchOn
   * field as last delivered (when known): the key may be lower-cased, this is the value as written.
   */
  fields: Row;
  /** Fields that differ from what the destination last acknowledged. */
  changedFields: string[];
  /** The destination's id when the snapshot knows it. */
  remoteId: string | null;
}

export interface Batch {
  object: string;
  operation: WriteOperation;
  /** Destination field holding the row key (idProperty / External ID field). */
  matchOn: string;
  items: BatchItem[];
}

export type ItemResult =
  | { status: 'ok'; remoteId: string | null }
  | { status: 'failed'; error: RowError };

/** What the destination's rate-limit headers said on the last call, so the engine can adapt its pace. */
export interface RateLimitObservation {
  /** Requests allowed per window, per the destination. */
  max?: number;
  remaining?: number;
  windowMs?: number;
  /** Remaining daily (or 24 h) calls, when reported. */
  dailyRemaining?: number;
}

export interface BatchResult {
  /** Exactly one result per input item, in input order. */
  results: ItemResult[];
  rateLimit?: RateLimitObservation;
  /** Destination API calls this batch took (bulk jobs take several). */
  calls: number;
  /**
   * Set when a 429 cut the batch off part-way, after some rows were delivered (so nothing was thrown):
   * the delay the destination asked for. The engine waits it out before the next call and counts the 429.
   */
  rateLimitedMs?: number;
}

export interface RemoteField {
  name: string;
  type: string;
  writable: boolean;
  /** True when the field can serve as the upsert match key (Salesforce External ID, HubSpot unique property). */
  unique?: boolean;
  /**
   * True when the destination compares this field's values ignoring letter case when it finds records
   * by it ("ABC" = "abc"), false when exactly; left out when the destination does not say.
   */
  matchesIgnoringCase?: boolean;
}

/**
 * Given to `applyBatch` by the engine, which paces a batch's first request. A batch that makes more
 * requests (Intercom's one or two per record, HubSpot's halving of a rejected batch, Zendesk's job
 * polls) awaits `beforeExtraCall()` before each of the others, so every request keeps to the
 * account's rate budget, not only the first of each batch.
 */
export interface CallPacing {
  beforeExtraCall(): Promise<void>;
}

export interface ConnectorSession {
  applyBatch(batch: Batch, pacing?: CallPacing): Promise<BatchResult>;
  /** Remote field list, for `ebb validate`. */
  describe?(object: string): Promise<RemoteField[]>;
  close(): Promise<void>;
}

/** What `ebb validate --remote` checks a sync's mapping against. */
export interface MappingCheck {
  /** The object's fields, from `session.describe`. */
  fields: RemoteField[];
  mapping: { to: string; from: string }[];
  matchOn: string;
  mode: SyncMode;
  /** The sync's resolved `destination.matchIgnoresCase`: whether Ebb compares keys ignoring case. */
  matchIgnoresCase: boolean;
  /** Warehouse type name per model column, when the source can describe the query. */
  columnTypes: Record<string, string>;
}

export interface ConnectorContext {
  rootDir: string;
  /**
   * Waits used only while polling an asynchronous job inside one applyBatch (bulk jobs, Zendesk job
   * statuses). The caller's clock, so tests control time and no connector keeps a timer of its own.
   */
  sleep: (ms: number) => Promise<void>;
}

export interface ConnectorDefinition {
  kind: string;
  /** Checks the connection options; returns human-readable problems (empty when fine). */
  validateOptions(options: Record<string, unknown>): string[];
  /** Capabilities of one object (`contacts`, `Account`, ...); throws TerminalError for unknown objects. */
  capabilities(object: string, options: Record<string, unknown>): ObjectCapabilities;
  /** Budget for the account the options point at. */
  rateBudget(options: Record<string, unknown>): RateBudget;
  /**
   * Identifies the destination account, so every sync writing there shares one limiter
   * (e.g. `hubspot:<baseUrl>:<token hash>`). Must not contain secrets.
   */
  accountKey(options: Record<string, unknown>): string;
  open(options: Record<string, unknown>, context: ConnectorContext): Promise<ConnectorSession>;
  /**
   * Destination-specific mapping rules (field types, what may serve as the match key); one message per
   * problem. Without it, validate checks only that mapped fields exist and are writable.
   */
  checkMapping?(check: MappingCheck): string[];
  /**
   * True when the destination finds records by `matchOn` ignoring letter case, so that keys differing
   * only in case ("Ada@x.com", "ada@x.com") address one record. The engine then compares keys the same
   * way, so such rows are reported as duplicates and a key that only changes case stays one record.
   * Left out: keys match exactly. A sync can override it (`destination.matchIgnoresCase`).
   */
  matchIgnoresCase?(object: string, matchOn: string, options: Record<string, unknown>): boolean;
}
