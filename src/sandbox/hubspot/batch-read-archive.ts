import { errorBody, standardError } from './error-bodies.ts';
import { MAX_BATCH_INPUTS, batchEnvelope, inputsOf, ordered, recordBody, stringField, type HandlerContext, type HandlerResponse } from './handler.ts';

/**
 * `POST /crm/v3/objects/{type}/batch/read`: by record id, or by a unique property with `idProperty`.
 * Missing ids give a 207 with one OBJECT_NOT_FOUND error listing them in `context.ids`.
 */
export function batchRead(ctx: HandlerContext, body: unknown): HandlerResponse {
  const inputs = inputsOf(body);
  if (inputs === null) return { status: 400, body: errorBody('VALIDATION_ERROR', 'Invalid input JSON: "inputs" must be an array of {id}.') };
  if (inputs.length > MAX_BATCH_INPUTS) {
    return { status: 400, body: errorBody('VALIDATION_ERROR', `Batch input limit exceeded: got ${inputs.length} inputs, the maximum is ${MAX_BATCH_INPUTS}.`) };
  }
  const idProperty = stringField(body, 'idProperty');
  if (idProperty !== undefined && idProperty !== 'hs_object_id' && !ctx.schema.isUnique(idProperty)) {
    return { status: 400, body: errorBody('VALIDATION_ERROR', `Property "${idProperty}" is not a unique-value property of ${ctx.schema.id}.`) };
  }
  const requested = (body as { properties?: unknown }).properties;
  const wanted = new Set([
    'hs_object_id',
    'createdate',
    ctx.schema.lastModifiedProperty,
    ...(idProperty !== undefined ? [idProperty] : []),
    ...(Array.isArray(requested) ? requested.filter((name): name is string => typeof name === 'string') : []),
  ]);

  const results: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = stringField(input, 'id') ?? '';
    const record = idProperty === undefined ? ctx.records.findById(id) : ctx.records.findByProperty(idProperty, id);
    if (record === undefined) {
      missing.push(id);
      continue;
    }
    const properties = Object.fromEntries(Object.entries(record.properties).filter(([name]) => wanted.has(name)));
    results.push(recordBody(record, properties));
  }
  const errors =
    missing.length === 0
      ? []
      : [
          standardError({
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${ctx.schema.label.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
            details: [],
            context: { ids: missing },
          }),
        ];
  return { status: errors.length > 0 ? 207 : 200, body: batchEnvelope(ordered(results, ctx.knobs.resultOrder), errors, ctx.now) };
}

/** `POST /crm/v3/objects/{type}/batch/archive`: by record id only; unknown ids are ignored; 204. */
export function batchArchive(ctx: HandlerContext, body: unknown): HandlerResponse {
  const inputs = inputsOf(body);
  if (inputs === null) return { status: 400, body: errorBody('VALIDATION_ERROR', 'Invalid input JSON: "inputs" must be an array of {id}.') };
  if (inputs.length > MAX_BATCH_INPUTS) {
    return { status: 400, body: errorBody('VALIDATION_ERROR', `Batch input limit exceeded: got ${inputs.length} inputs, the maximum is ${MAX_BATCH_INPUTS}.`) };
  }
  for (const input of inputs) {
    const id = stringField(input, 'id');
    if (id !== undefined) ctx.records.archive(id, ctx.now);
  }
  return { status: 204 };
}
