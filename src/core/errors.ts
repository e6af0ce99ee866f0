/**
 * Error types whose class says what to do next. Whole-call failures are thrown; per-row failures are
 * returned as data (`RowError`). Every error carries a stable `code` and, where there is one, a `cause`.
 */
export class EbbError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The destination asked us to wait; the same call may be repeated after `retryAfterMs`. */
export class RateLimitedError extends EbbError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, message = `rate limited; retry after ${retryAfterMs} ms`, options?: { cause?: unknown }) {
    super('RATE_LIMITED', message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A failure that may pass by itself (5xx, network, timeout, lock contention): retry with backoff. */
export class TransientError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'TRANSIENT', message, options);
  }
}

/** Credentials are missing, wrong, expired beyond refresh, or lack a scope: stop the sync. */
export class AuthError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'AUTH', message, options);
  }
}

/**
 * A budget that will not come back within this run (HubSpot's daily limit, Salesforce's 24 h
 * allocation or our own share of it): stop the sync; unsent rows stay pending for the next run.
 */
export class QuotaExhaustedError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'QUOTA_EXHAUSTED', message, options);
  }
}

/** Retrying cannot help (bad request shape, unknown object): stop the sync. */
export class TerminalError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'TERMINAL', message, options);
  }
}

/** The plan no longer matches the snapshot or the sync definition it was computed against. */
export class StalePlanError extends EbbError {
  constructor(message: string) {
    super('STALE_PLAN', message);
  }
}

/** Another apply of the same sync holds the lock. */
export class LockHeldError extends EbbError {
  constructor(message: string) {
    super('LOCK_HELD', message);
  }
}

/**
 * The code of a row whose create failed after it may have reached the destination: the record may exist
 * although Ebb never learned its id. Such rows are not re-sent automatically, and their errors outlive
 * their keys leaving the model (a mirror sync cannot delete what it never learned the id of).
 */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/**
 * The apply's lock expired and another process took it (this one stalled longer than the lock's
 * lifetime, or its renewals could not be written). Nothing more may be sent: the other process may be
 * writing newer values, and an older one landing after them would stay in the destination unseen.
 */
export class LockLostError extends EbbError {
  constructor(message: string) {
    super('LOCK_LOST', message);
  }
}

/**
 * The sync's snapshot cannot be re-keyed for how its destination compares keys: keys that differ only
 * in case were delivered to different records, or cannot be restored as the model wrote them.
 */
export class KeyCaseError extends EbbError {
  constructor(message: string) {
    super('KEY_CASE_CONFLICT', message);
  }
}

/** The warehouse query failed (SQL error, auth, network). */
export class SourceError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'SOURCE', message, options);
  }
}

/**
 * Ebb's own files could not be written or read: the snapshot, SQLite's temporary files, a plan's spool
 * (a full disk, a read-only file, an I/O error). Nothing more can be recorded, so the work stops; only
 * someone freeing space or fixing the file helps, so it is not retried.
 */
export class LocalStorageError extends EbbError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'LOCAL_STORAGE', message, options);
  }
}

/** A per-row failure returned by a connector: the row is recorded, not committed, and re-proposed. */
export interface RowError {
  /** Stable code, e.g. the destination's own (`INVALID_EMAIL`, `REQUIRED_FIELD_MISSING`) or ours. */
  code: string;
  message: string;
  /** The destination field at fault, when the destination says. */
  field?: string;
  /**
   * The same row sent again may well succeed: the destination says so (a record lock held elsewhere,
   * a row a bulk job never reached). The engine re-sends such rows within the run, a bounded number
   * of times, before recording them as failed.
   */
  retryable?: boolean;
}

/**
 * A whole-call failure may come after several API calls (a bulk job that failed after its upload and
 * polls): connectors record how many on the error, so the run's call count stays true.
 */
export function withCallsMade<E>(error: E, calls: number): E {
  if (typeof error === 'object' && error !== null) (error as { callsMade?: number }).callsMade = calls;
  return error;
}

export function callsMadeBy(error: unknown): number | undefined {
  const calls = (error as { callsMade?: unknown } | null)?.callsMade;
  return typeof calls === 'number' ? calls : undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
