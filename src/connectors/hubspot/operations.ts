import type { Client } from '@hubspot/api-client';
import type { Batch, BatchItem, ItemResult } from '../connector.ts';
import { correlate, type HubspotBatchData } from './correlate.ts';
import { sendIsolatingRejections, type BatchProgress, type CallResponse } from './isolate.ts';
import type { PreparedInput } from './prepared.ts';
import { toHubspotProperties, toHubspotValue } from './values.ts';

/** Runs one client call under the session's timeout (the client has none). */
export type Timed = <T>(call: Promise<T>) => Promise<T>;

interface OperationContext {
  client: Client;
  batch: Batch;
  progress: BatchProgress;
  timed: Timed;
}

/** The matchOn value of an item: `fields[matchOn]`, else the row key; null when the model gave null. */
function matchValueOf(item: BatchItem, matchOn: string): string | null {
  const value = item.fields[matchOn];
  if (value === undefined) return item.key === '' ? null : item.key;
  const text = toHubspotValue(value);
  return text === '' ? null : text;
}

function failMissingKey(ctx: OperationContext, index: number): void {
  ctx.progress.outcomes.set(index, {
    status: 'failed',
    error: {
      code: 'MISSING_MATCH_KEY',
      message: `this row has no value for "${ctx.batch.matchOn}", so HubSpot cannot address the record; give the model a non-null key`,
      field: ctx.batch.matchOn,
    },
  });
}

async function sendWrites(ctx: OperationContext, inputs: PreparedInput[], kind: 'upsert' | 'create' | 'update'): Promise<void> {
  const api = ctx.client.crm.objects.batchApi;
  const { object, matchOn } = ctx.batch;
  const call = async (chunk: PreparedInput[]): Promise<CallResponse<HubspotBatchData>> => {
    const body = { inputs: chunk.map((input) => input.wire) } as never;
    const response =
      kind === 'upsert'
        ? await ctx.timed(api.upsertWithHttpInfo(object, body))
        : kind === 'create'
          ? await ctx.timed(api.createWithHttpInfo(object, body))
          : await ctx.timed(api.updateWithHttpInfo(object, body));
    return { data: response.data as HubspotBatchData, headers: response.headers };
  };
  await sendIsolatingRejections(inputs, call, (chunk, data) => correlate(chunk, data, matchOn), ctx.progress);
}

/** batch/upsert with idProperty = matchOn: a re-sent batch updates instead of duplicating. */
export async function upsert(ctx: OperationContext): Promise<void> {
  const inputs: PreparedInput[] = [];
  ctx.batch.items.forEach((item, index) => {
    const matchValue = matchValueOf(item, ctx.batch.matchOn);
    if (matchValue === null) return failMissingKey(ctx, index);
    inputs.push({
      index,
      traceId: item.key,
      matchValue,
      remoteId: item.remoteId,
      wire: {
        idProperty: ctx.batch.matchOn,
        id: matchValue,
        properties: toHubspotProperties(item.fields, ctx.batch.matchOn),
        objectWriteTraceId: item.key,
      },
    });
  });
  await sendWrites(ctx, inputs, 'upsert');
}

export async function create(ctx: OperationContext): Promise<void> {
  const inputs = ctx.batch.items.map((item, index) => ({
    index,
    traceId: item.key,
    matchValue: matchValueOf(item, ctx.batch.matchOn),
    remoteId: null,
    wire: { properties: toHubspotProperties(item.fields), objectWriteTraceId: item.key },
  }));
  await sendWrites(ctx, inputs, 'create');
}

/** batch/update by the stored record id, or by idProperty = matchOn when the snapshot has none. */
export async function update(ctx: OperationContext): Promise<void> {
  const inputs: PreparedInput[] = [];
  ctx.batch.items.forEach((item, index) => {
    const matchValue = matchValueOf(item, ctx.batch.matchOn);
    if (item.remoteId === null && matchValue === null) return failMissingKey(ctx, index);
    const wire =
      item.remoteId !== null
        ? { id: item.remoteId, properties: toHubspotProperties(item.fields), objectWriteTraceId: item.key }
        : {
            id: matchValue as string,
            idProperty: ctx.batch.matchOn,
            properties: toHubspotProperties(item.fields, ctx.batch.matchOn),
            objectWriteTraceId: item.key,
          };
    inputs.push({ index, traceId: item.key, matchValue, remoteId: item.remoteId, wire });
  });
  await sendWrites(ctx, inputs, 'update');
}

/**
 * batch/archive takes record ids only: rows without a stored id are looked up by idProperty first (one
 * batch/read). A row whose record is already gone is a successful delete.
 */
export async function remove(ctx: OperationContext): Promise<void> {
  const api = ctx.client.crm.objects.batchApi;
  const { object, matchOn } = ctx.batch;
  const toLookUp: PreparedInput[] = [];
  const toArchive: PreparedInput[] = [];
  ctx.batch.items.forEach((item, index) => {
    const matchValue = matchValueOf(item, matchOn);
    const prepared: PreparedInput = { index, traceId: item.key, matchValue, remoteId: item.remoteId, wire: {} };
    if (item.remoteId !== null) toArchive.push({ ...prepared, wire: { id: item.remoteId } });
    else if (matchValue !== null) toLookUp.push({ ...prepared, wire: { id: matchValue } });
    else failMissingKey(ctx, index);
  });

  const lookUp = async (chunk: PreparedInput[]): Promise<CallResponse<HubspotBatchData>> => {
    const request = { idProperty: matchOn, inputs: chunk.map((input) => ({ id: input.wire.id as string })), properties: [matchOn], propertiesWithHistory: [] };
    const response = await ctx.timed(api.readWithHttpInfo(object, request, false));
    return { data: response.data as HubspotBatchData, headers: response.headers };
  };
  await sendIsolatingRejections(toLookUp, lookUp, (chunk, data) => foundOrGone(chunk, data, matchOn), ctx.progress);
  for (const input of toLookUp) {
    const found = ctx.progress.outcomes.get(input.index);
    if (found?.status === 'ok' && found.remoteId !== null) {
      toArchive.push({ ...input, remoteId: found.remoteId, wire: { id: found.remoteId } });
      ctx.progress.outcomes.delete(input.index);
    }
  }

  const archive = async (chunk: PreparedInput[]): Promise<CallResponse<undefined>> => {
    const response = await ctx.timed(api.archiveWithHttpInfo(object, { inputs: chunk.map((input) => ({ id: input.wire.id as string })) }));
    return { data: undefined, headers: response.headers };
  };
  const archived = (chunk: PreparedInput[]) =>
    new Map<number, ItemResult>(chunk.map((input) => [input.index, { status: 'ok', remoteId: input.remoteId }]));
  await sendIsolatingRejections(toArchive, archive, archived, ctx.progress);
}

/** Batch read by idProperty: found → ok with the record id; reported missing → ok with no id (already deleted). */
function foundOrGone(inputs: PreparedInput[], data: HubspotBatchData, matchOn: string): Map<number, ItemResult> {
  const outcomes = correlate(inputs, data, matchOn);
  const missing = new Set(
    (data.errors ?? [])
      .filter((error) => error.category === 'OBJECT_NOT_FOUND')
      .flatMap((error) => (Array.isArray(error.context?.ids) ? (error.context.ids as unknown[]) : []))
      .map((id) => String(id).toLowerCase()),
  );
  for (const input of inputs) {
    if (input.matchValue !== null && missing.has(input.matchValue.toLowerCase())) outcomes.set(input.index, { status: 'ok', remoteId: null });
  }
  return outcomes;
}
