import type { RowError } from '../../core/errors.ts';
import type { ItemResult } from '../connector.ts';

/**
 * Per-row codes that clear by themselves: record lock contention, and rows a bulk job never reached.
 * Their row errors say `retryable`, so the engine sends them again within the run.
 */
const RETRYABLE_ROW_CODES: ReadonlySet<string> = new Set(['UNABLE_TO_LOCK_ROW', 'UNPROCESSED', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

export function rowFailure(code: string, message: string, fields: readonly string[] = []): ItemResult {
  const error: RowError = { code, message, retryable: RETRYABLE_ROW_CODES.has(code) };
  if (fields.length > 0) error.field = fields[0]!;
  if (fields.length > 1) error.message = `${message} (fields: ${fields.join(', ')})`;
  return { status: 'failed', error };
}

/** A collections SaveResult/UpsertResult error. jsforce's types call the code `errorCode`; the REST API sends `statusCode`. */
export interface SaveErrorLike {
  statusCode?: string;
  errorCode?: string;
  message?: string;
  fields?: string[];
}

export interface SaveResultLike {
  id?: string | null;
  success?: boolean;
  errors?: SaveErrorLike[];
}

export function fromSaveResult(result: SaveResultLike, okCodes: ReadonlySet<string> = new Set()): ItemResult {
  const errors = result.errors ?? [];
  if (result.success === true) return { status: 'ok', remoteId: result.id ?? null };
  const first = errors[0];
  const code = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN_ERROR';
  if (okCodes.has(code)) return { status: 'ok', remoteId: result.id ?? null };
  const message = errors.map((e) => e.message ?? e.statusCode ?? 'no message').join('; ') || 'Salesforce reported a failure without a message';
  return rowFailure(code, message, first?.fields ?? []);
}
