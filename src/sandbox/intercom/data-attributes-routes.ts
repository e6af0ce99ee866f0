import { invalid } from './http.ts';
import type { AttributeModel, AttributeType } from './options.ts';
import { attributeJson } from './render.ts';
import type { Route, RouteContext } from './route.ts';
import { COMPANY_FIELDS, CONTACT_FIELDS, type FieldKind } from './validation.ts';

const MODELS: AttributeModel[] = ['contact', 'company'];
const TYPES: AttributeType[] = ['string', 'integer', 'float', 'boolean', 'date', 'datetime'];
const DATE_FIELDS = new Set(['signed_up_at', 'last_seen_at', 'remote_created_at']);

function standardType(field: string, kind: FieldKind): AttributeType {
  if (DATE_FIELDS.has(field)) return 'date';
  if (kind === 'integer') return 'integer';
  if (kind === 'number') return 'float';
  if (kind === 'boolean') return 'boolean';
  return 'string';
}

/** Intercom lists its standard attributes alongside the custom ones (`custom: false`). */
function standardAttributes(model: AttributeModel): Record<string, unknown>[] {
  const fields = model === 'contact' ? CONTACT_FIELDS : COMPANY_FIELDS;
  return Object.entries(fields).map(([name, kind]) => ({
    type: 'data_attribute',
    model,
    name,
    full_name: name,
    label: name,
    data_type: standardType(name, kind),
    api_writable: true,
    custom: false,
  }));
}

function list(ctx: RouteContext) {
  const model = ctx.query.get('model');
  if (model !== null && !MODELS.includes(model as AttributeModel)) throw invalid(`model must be one of: ${MODELS.join(', ')}`, 'model');
  const models = model === null ? MODELS : [model as AttributeModel];
  const data = models.flatMap((m) => [...standardAttributes(m), ...ctx.state.store.attributes.filter((a) => a.model === m).map(attributeJson)]);
  return { body: { type: 'list', data } };
}

async function create(ctx: RouteContext) {
  const body = await ctx.body();
  const { name, model, data_type: dataType } = body;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_ -]+$/.test(name)) throw invalid('name must be a non-empty string of letters, digits, spaces, _ or -', 'name');
  if (!MODELS.includes(model as AttributeModel)) throw invalid(`model must be one of: ${MODELS.join(', ')}`, 'model');
  if (!TYPES.includes(dataType as AttributeType)) throw invalid(`data_type must be one of: ${TYPES.join(', ')}`, 'data_type');
  if (ctx.state.store.attribute(model as AttributeModel, name) !== undefined) {
    throw invalid(`You already have '${name}' in your ${String(model)} data. To save this as new people data, use a different name.`, 'name');
  }
  const stored = ctx.state.store.addAttribute({ name, model: model as AttributeModel, data_type: dataType as AttributeType });
  return { body: attributeJson(stored) };
}

export const dataAttributeRoutes: Route[] = [
  { method: 'GET', pattern: /^\/data_attributes$/, label: 'GET /data_attributes', handle: list },
  { method: 'POST', pattern: /^\/data_attributes$/, label: 'POST /data_attributes', handle: create },
];
