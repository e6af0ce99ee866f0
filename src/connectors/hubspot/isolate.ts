import type { CallPacing, ItemResult } from '../connector.ts';
import { asApiException, classifyHubspotFailure, errorBodyOf, isRowLevelRejection, rowErrorFromHubspot, type HubspotErrorBody } from './errors.ts';
import type { PreparedInput } from './prepared.ts';

export interface CallResponse<T> {
  data: T;
  headers: Record<string, string>;
}

/** Shared by every call one applyBatch makes. */
export interface BatchProgress {
  calls: number;
  /** Headers of the last response, for the rate-limit observation. */
  lastHeaders?: Record<string, string>;
  outcomes: Map<number, ItemResult>;
  /**
   * Rows of the call under way; left set when that call throws, so the session knows which rows a
   * failed call carried (a create that timed out may have landed for them, not for rows never sent).
   */
  inFlight?: readonly number[];
  /** From the engine: every call after the batch's first waits for its own slot under the rate limit. */
  pacing?: CallPacing;
}

/**
 * Sends inputs in one call; when HubSpot rejects the whole batch for row-level reasons (400 validation,
 * 409 conflict), isolates the bad rows so the good ones are still delivered: rows using a property that
 * does not exist are failed at once (every row using it would fail), otherwise the batch is split in
 * halves, recursively, down to single rows whose rejection is their own row error. Every call counts,
 * and every call after the batch's first is paced, so isolating stays under the account's limit.
 * Whole-call failures (429, 5xx, auth) are thrown as typed errors.
 */
export async function sendIsolatingRejections<T>(
  inputs: PreparedInput[],
  call: (inputs: PreparedInput[]) => Promise<CallResponse<T>>,
  interpret: (inputs: PreparedInput[], data: T) => Map<number, ItemResult>,
  progress: BatchProgress,
): Promise<void> {
  if (inputs.length === 0) return;
  if (progress.calls > 0) await progress.pacing?.beforeExtraCall();
  progress.calls++;
  progress.inFlight = inputs.map((input) => input.index);
  let response: CallResponse<T>;
  try {
    response = await call(inputs);
  } catch (error) {
    const exception = asApiException(error);
    if (exception !== null) progress.lastHeaders = exception.headers;
    if (exception === null || !isRowLevelRejection(exception)) throw classifyHubspotFailure(error);
    progress.inFlight = undefined; // a 400/409 rejected the call before anything was written
    const body = errorBodyOf(exception);
    const [only] = inputs;
    if (inputs.length === 1 && only !== undefined) {
      progress.outcomes.set(only.index, { status: 'failed', error: rowErrorFromHubspot(body) });
      return;
    }
    const unknown = unknownProperties(body);
    const usingUnknown = inputs.filter((input) => Object.keys(input.wire.properties ?? {}).some((name) => unknown.has(name)));
    if (usingUnknown.length > 0) {
      for (const input of usingUnknown) {
        const name = Object.keys(input.wire.properties ?? {}).find((property) => unknown.has(property)) ?? '';
        progress.outcomes.set(input.index, { status: 'failed', error: { code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist`, field: name } });
      }
      await sendIsolatingRejections(inputs.filter((input) => !usingUnknown.includes(input)), call, interpret, progress);
      return;
    }
    const middle = Math.ceil(inputs.length / 2);
    await sendIsolatingRejections(inputs.slice(0, middle), call, interpret, progress);
    await sendIsolatingRejections(inputs.slice(middle), call, interpret, progress);
    return;
  }
  progress.inFlight = undefined;
  progress.lastHeaders = response.headers;
  for (const [index, outcome] of interpret(inputs, response.data)) progress.outcomes.set(index, outcome);
}

/** Property names, when every problem HubSpot listed is PROPERTY_DOESNT_EXIST. */
function unknownProperties(body: HubspotErrorBody): Set<string> {
  const details = body.errors ?? [];
  if (details.length === 0 || details.some((detail) => detail.code !== 'PROPERTY_DOESNT_EXIST')) return new Set();
  const names = details.flatMap((detail) => {
    const named = detail.context?.propertyName;
    return Array.isArray(named) ? named.filter((name): name is string => typeof name === 'string') : detail.in ? [detail.in] : [];
  });
  return new Set(names);
}
