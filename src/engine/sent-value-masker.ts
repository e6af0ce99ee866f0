import type { Change } from '../core/change.ts';
import { maskForms, maskRowError, sensitiveFieldToWithhold, sensitiveFormsOf, withholdMessage } from '../core/mask-sent-values.ts';
import type { FieldMapping } from '../core/sync.ts';
import type { ItemResult } from '../connectors/connector.ts';

/**
 * Masks the values of a sync's sensitive fields in what a destination says back about a batch, where
 * it enters the engine: before anything records it (row errors in the snapshot), reports it (run
 * results, alerts) or logs it (retry events). Destinations quote refused values in their messages
 * ("SECRET-1 was not a valid number"), and what a sync marks sensitive must not reach those places.
 */
export interface SentValueMasker {
  /** The batch's per-row results, failures' messages masked. */
  results(changes: readonly Change[], results: ItemResult[]): ItemResult[];
  /**
   * A whole-call failure of the batch, its message masked in place: its class still has to say what
   * stopped the run (auth, quota, ...), and any row of the call may be quoted in it.
   */
  error<E>(changes: readonly Change[], error: E): E;
  /** Any other text about the batch (a retry's reason). */
  text(changes: readonly Change[], text: string): string;
}

export function sentValueMasker(mapping: readonly FieldMapping[]): SentValueMasker {
  const sensitive = new Set(mapping.filter((field) => field.sensitive).map((field) => field.to));
  if (sensitive.size === 0) return { results: (_, results) => results, error: (_, error) => error, text: (_, text) => text };
  const formsOfBatch = (changes: readonly Change[]) => sensitiveFormsOf(changes.flatMap((change) => [change.after, change.before]), sensitive);
  return {
    results: (changes, results) => maskResults(changes, results, sensitive, formsOfBatch),
    error(changes, error) {
      if (!(error instanceof Error)) return error;
      const forms = formsOfBatch(changes);
      rewrite(error, 'message', maskForms(error.message, forms));
      if (error.stack !== undefined) rewrite(error, 'stack', maskForms(error.stack, forms));
      return error;
    },
    text: (changes, text) => maskForms(text, formsOfBatch(changes)),
  };
}

/**
 * A failure's message is masked against its own row's values. A message several rows share is the
 * destination's answer to the whole call (Zendesk gives every row of a refused call the same body),
 * so it may quote any row of it: that one is masked against every row of the batch, once.
 */
function maskResults(
  changes: readonly Change[],
  results: ItemResult[],
  sensitive: ReadonlySet<string>,
  formsOfBatch: (changes: readonly Change[]) => string[],
): ItemResult[] {
  const shared = sharedMessages(results);
  let batchForms: string[] | undefined;
  const maskedShared = new Map<string, string>();
  const maskShared = (message: string): string => {
    let masked = maskedShared.get(message);
    if (masked === undefined) {
      batchForms ??= formsOfBatch(changes);
      masked = maskForms(message, batchForms);
      maskedShared.set(message, masked);
    }
    return masked;
  };
  return results.map((result, i): ItemResult => {
    const change = changes[i];
    if (result.status !== 'failed' || !change) return result; // a result without a row is never recorded
    const { error } = result;
    const withheld = sensitiveFieldToWithhold(error, change.after, sensitive);
    if (withheld !== undefined) return { status: 'failed', error: withholdMessage(error, withheld) };
    if (shared.has(error.message)) return { status: 'failed', error: { ...error, message: maskShared(error.message) } };
    const masked = maskRowError(error, change.after, change.before, sensitive);
    return masked === error ? result : { status: 'failed', error: masked };
  });
}

function sharedMessages(results: readonly ItemResult[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const result of results) {
    if (result.status !== 'failed') continue;
    if (seen.has(result.error.message)) shared.add(result.error.message);
    seen.add(result.error.message);
  }
  return shared;
}

/** Defined rather than assigned, so an error class with a read-only `message` is rewritten too. */
function rewrite(error: Error, property: 'message' | 'stack', text: string): void {
  if (error[property] === text) return;
  try {
    Object.defineProperty(error, property, { value: text, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen error cannot be changed; it is still handled as it is rather than failing the run.
  }
}
