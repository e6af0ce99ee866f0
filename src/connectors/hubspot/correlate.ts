import type { ItemResult } from '../connector.ts';
import { rowErrorFromHubspot, type HubspotErrorBody } from './errors.ts';
import type { PreparedInput } from './prepared.ts';

export interface HubspotBatchData {
  results?: { id: string; properties?: Record<string, string | null>; objectWriteTraceId?: string }[];
  errors?: HubspotErrorBody[];
}

/**
 * Matches a 200/207 batch response to its inputs. HubSpot does not return results in input order, so
 * never by position: by objectWriteTraceId first, then by the matchOn value HubSpot echoes (compared
 * case-insensitively, since HubSpot lower-cases emails and domains), then by record id. Errors are
 * matched by the trace ids or ids in their `context`. An input with neither gets a NO_RESULT failure.
 */
export function correlate(inputs: PreparedInput[], data: HubspotBatchData | undefined, matchOn: string): Map<number, ItemResult> {
  const outcomes = new Map<number, ItemResult>();
  const byTrace = new Map<string, PreparedInput>();
  const byMatch = new Map<string, PreparedInput>();
  const byRemote = new Map<string, PreparedInput>();
  for (const input of inputs) {
    if (!byTrace.has(input.traceId)) byTrace.set(input.traceId, input);
    if (input.matchValue !== null && !byMatch.has(input.matchValue.toLowerCase())) byMatch.set(input.matchValue.toLowerCase(), input);
    if (input.remoteId !== null) byRemote.set(input.remoteId, input);
  }
  const unresolved = (input: PreparedInput | undefined) => (input !== undefined && !outcomes.has(input.index) ? input : undefined);
  const byAnyId = (id: string) => unresolved(byTrace.get(id)) ?? unresolved(byMatch.get(id.toLowerCase())) ?? unresolved(byRemote.get(id));

  for (const result of data?.results ?? []) {
    const echoed = result.properties?.[matchOn];
    const input =
      (result.objectWriteTraceId !== undefined ? unresolved(byTrace.get(result.objectWriteTraceId)) : undefined) ??
      (typeof echoed === 'string' ? unresolved(byMatch.get(echoed.toLowerCase())) : undefined) ??
      unresolved(byRemote.get(result.id));
    if (input !== undefined) outcomes.set(input.index, { status: 'ok', remoteId: result.id });
  }

  for (const error of data?.errors ?? []) {
    const rowError = rowErrorFromHubspot(error);
    const traces = stringList(error.context?.objectWriteTraceId);
    const ids = stringList(error.context?.ids);
    const targets =
      traces.length > 0
        ? traces.map((trace) => unresolved(byTrace.get(trace)))
        : ids.map((id) => byAnyId(id));
    for (const input of targets) if (input !== undefined) outcomes.set(input.index, { status: 'failed', error: rowError });
  }

  for (const input of inputs) {
    if (!outcomes.has(input.index)) {
      outcomes.set(input.index, {
        status: 'failed',
        error: {
          code: 'NO_RESULT',
          message: 'HubSpot returned neither a result nor an error for this row; it stays pending and is proposed again next run',
        },
      });
    }
  }
  return outcomes;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
