import { errorBody, propertyFailure, standardError, wholeBatchBody, type InputFailure } from './error-bodies.ts';
import {
  MAX_BATCH_INPUTS,
  batchEnvelope,
  inputsOf,
  ordered,
  recordBody,
  stringField,
  type HandlerContext,
  type HandlerResponse,
} from './handler.ts';
import type { SandboxRecord } from './types.ts';
import { validateProperties } from './validate-values.ts';

export type WriteKind = 'create' | 'update' | 'upsert';

/** One input that passed validation: applying it writes the store and yields its result body. */
type Evaluation = { failure: InputFailure } | { apply: () => Record<string, unknown> };

/**
 * `POST /crm/v3/objects/{type}/batch/{create,update,upsert}`. Request-shape problems (too many inputs,
 * missing idProperty, duplicate ids) reject the whole batch with 400. Per-input problems give a 207
 * with `errors[]` when every input carries a unique objectWriteTraceId (HubSpot's documented rule),
 * otherwise a whole-batch 400/409 and nothing is written.
 */
export function batchWrite(kind: WriteKind, ctx: HandlerContext, body: unknown): HandlerResponse {
  const requestedAt = ctx.now;
  const inputs = inputsOf(body);
  if (inputs === null) return { status: 400, body: errorBody('VALIDATION_ERROR', 'Invalid input JSON: "inputs" must be an array of batch inputs.') };
  const shapeProblem = checkShape(kind, ctx, inputs);
  if (shapeProblem !== null) return { status: 400, body: errorBody('VALIDATION_ERROR', shapeProblem) };

  const traces = inputs.map((input) => stringField(input, 'objectWriteTraceId'));
  const multiStatus =
    ctx.knobs.rowErrors === 'auto' && traces.every((trace) => trace !== undefined && trace !== '') && new Set(traces).size === traces.length;

  const results: Record<string, unknown>[] = [];
  const failures: InputFailure[] = [];
  if (multiStatus) {
    for (const input of inputs) {
      const outcome = evaluate(kind, ctx, input);
      if ('failure' in outcome) failures.push(outcome.failure);
      else results.push(outcome.apply());
    }
  } else {
    const outcomes = inputs.map((input) => evaluate(kind, ctx, input));
    for (const outcome of outcomes) if ('failure' in outcome) failures.push(outcome.failure);
    if (failures.length > 0) return wholeBatchBody(failures);
    for (const outcome of outcomes) if ('apply' in outcome) results.push(outcome.apply());
  }
  const status = failures.length > 0 ? 207 : kind === 'create' ? 201 : 200;
  return { status, body: batchEnvelope(ordered(results, ctx.knobs.resultOrder), failures.map(standardError), requestedAt) };
}

function checkShape(kind: WriteKind, ctx: HandlerContext, inputs: unknown[]): string | null {
  if (inputs.length > MAX_BATCH_INPUTS) {
    return `Batch input limit exceeded: got ${inputs.length} inputs, the maximum is ${MAX_BATCH_INPUTS}.`;
  }
  if (kind === 'create') return null;
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    const id = stringField(input, 'id');
    const idProperty = stringField(input, 'idProperty');
    if (id === undefined || id === '') return `inputs[${index}].id is required.`;
    if (kind === 'upsert' && (idProperty === undefined || idProperty === '')) {
      return `inputs[${index}].idProperty is required for batch upsert: name a property with unique values${ctx.schema.id === 'contacts' ? ' (or email)' : ''}.`;
    }
    if (idProperty !== undefined && idProperty !== 'hs_object_id' && !ctx.schema.isUnique(idProperty)) {
      return ctx.schema.properties.has(idProperty)
        ? `Property "${idProperty}" cannot be used as idProperty: it is not a unique-value property of ${ctx.schema.id}.`
        : `Property "${idProperty}" does not exist on ${ctx.schema.id}; it cannot be used as idProperty.`;
    }
    const key = `${idProperty ?? 'hs_object_id'}\u0000${ctx.schema.normalise(idProperty ?? 'hs_object_id', id)}`;
    if (seen.has(key)) duplicates.add(id);
    seen.add(key);
  }
  return duplicates.size > 0 ? `Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique` : null;
}

function evaluate(kind: WriteKind, ctx: HandlerContext, input: unknown): Evaluation {
  const trace = stringField(input, 'objectWriteTraceId');
  const id = stringField(input, 'id');
  const idProperty = stringField(input, 'idProperty');
  const context: Record<string, string[]> = {
    ...(trace !== undefined ? { objectWriteTraceId: [trace] } : {}),
    ...(id !== undefined ? { ids: [id] } : {}),
  };
  const rawProperties = (input as { properties?: unknown } | null)?.properties ?? {};
  const properties =
    kind === 'upsert' && idProperty !== undefined && id !== undefined
      ? { ...(rawProperties as Record<string, unknown>), [idProperty]: id }
      : rawProperties;

  const forced = [id, trace, ...Object.values(properties as Record<string, unknown>)].find(
    (value) => typeof value === 'string' && ctx.knobs.rejectIds.includes(value),
  );
  if (forced !== undefined) {
    return {
      failure: {
        category: 'VALIDATION_ERROR',
        message: `Input ${String(forced)} was rejected by the sandbox (rejectIds knob).`,
        details: [{ message: 'Rejected by the sandbox (rejectIds knob).', code: 'SANDBOX_REJECTED' }],
        context,
      },
    };
  }

  const { values, problems } = validateProperties(ctx.schema, properties);
  if (problems.length > 0) return { failure: propertyFailure(problems, context) };

  let target: SandboxRecord | undefined;
  if (kind !== 'create' && id !== undefined) {
    target = idProperty === undefined ? ctx.records.findById(id) : ctx.records.findByProperty(idProperty, id);
    if (target === undefined && kind === 'update') {
      return {
        failure: {
          category: 'OBJECT_NOT_FOUND',
          message: idProperty === undefined ? 'Object not found.  objectId are usually numeric.' : `Object not found with ${idProperty} ${id}.`,
          details: [],
          context,
        },
      };
    }
  }

  const conflict = findConflict(ctx, values, target?.id);
  if (conflict !== null) return { failure: { ...conflict, context } };

  return {
    apply: () => {
      const isNew = target === undefined;
      const record = target ?? ctx.records.create({}, ctx.now);
      ctx.records.write(record, values, ctx.now);
      if (isNew) ctx.onCreate();
      return {
        ...recordBody(record, { ...record.properties }),
        ...(kind === 'upsert' ? { new: isNew } : {}),
        ...(trace !== undefined ? { objectWriteTraceId: trace } : {}),
      };
    },
  };
}

function findConflict(ctx: HandlerContext, values: Record<string, string>, selfId: string | undefined): Omit<InputFailure, 'context'> | null {
  for (const [name, value] of Object.entries(values)) {
    const owner = ctx.records.uniqueOwner(name, value, selfId);
    if (owner === undefined) continue;
    const message =
      ctx.schema.id === 'contacts' && name === 'email'
        ? `Contact already exists. Existing ID: ${owner.id}`
        : `A ${ctx.schema.label} with ${name} "${value}" already exists. Existing ID: ${owner.id}`;
    return { category: 'CONFLICT', message, details: [{ message, in: name, context: { propertyName: [name] } }] };
  }
  return null;
}
