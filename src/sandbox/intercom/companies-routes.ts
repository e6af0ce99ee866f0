import type { JsonValue } from '../../core/values.ts';
import { invalid, notFound, nowSeconds } from './http.ts';
import { companyJson } from './render.ts';
import { param, rejectIfForced, type Route, type RouteContext } from './route.ts';
import type { StoredCompany } from './store.ts';
import { validateCompany } from './validation.ts';

function applyFields(company: StoredCompany, body: Record<string, unknown>): void {
  const { custom_attributes: custom, company_id: _companyId, ...standard } = body;
  Object.assign(company, standard);
  if (custom !== undefined && custom !== null) Object.assign(company.custom_attributes, custom as Record<string, JsonValue>);
  company.updated_at = nowSeconds();
}

function existing(ctx: RouteContext): StoredCompany {
  const company = ctx.state.store.companies.get(param(ctx, 0));
  if (company === undefined) throw notFound('Company Not Found');
  return company;
}

/** `POST /companies` creates or updates by `company_id`, Intercom's one idempotent write. */
async function createOrUpdate(ctx: RouteContext) {
  const body = await ctx.body();
  const companyId = typeof body.company_id === 'string' ? body.company_id : undefined;
  const found = companyId === undefined ? undefined : ctx.state.store.companyByCompanyId(companyId);
  validateCompany(ctx.state.store, body, found === undefined);
  rejectIfForced(ctx.state, [companyId]);
  if (found !== undefined) {
    applyFields(found, body);
    return { body: companyJson(found) };
  }
  const now = nowSeconds();
  const company: StoredCompany = {
    id: ctx.state.store.newId(),
    company_id: companyId as string,
    name: null,
    plan: null,
    size: null,
    website: null,
    industry: null,
    monthly_spend: null,
    remote_created_at: null,
    custom_attributes: {},
    created_at: now,
    updated_at: now,
  };
  applyFields(company, body);
  ctx.state.store.companies.set(company.id, company);
  ctx.state.store.countCreate('companies', company.company_id);
  return { body: companyJson(company) };
}

async function update(ctx: RouteContext) {
  const company = existing(ctx);
  const body = await ctx.body();
  if (body.company_id !== undefined && body.company_id !== company.company_id) throw invalid("company_id can't be updated", 'company_id');
  validateCompany(ctx.state.store, body, false);
  rejectIfForced(ctx.state, [company.company_id]);
  applyFields(company, body);
  return { body: companyJson(company) };
}

function retrieve(ctx: RouteContext) {
  const companyId = ctx.query.get('company_id');
  if (companyId !== null) {
    const company = ctx.state.store.companyByCompanyId(companyId);
    if (company === undefined) throw notFound('Company Not Found');
    return { body: companyJson(company) };
  }
  const all = [...ctx.state.store.companies.values()];
  return { body: { type: 'list', data: all.map(companyJson), total_count: all.length, pages: { type: 'pages', page: 1, per_page: all.length, total_pages: 1 } } };
}

function remove(ctx: RouteContext) {
  const company = existing(ctx);
  ctx.state.store.companies.delete(company.id);
  return { body: { id: company.id, object: 'company', deleted: true } };
}

export const companyRoutes: Route[] = [
  { method: 'POST', pattern: /^\/companies$/, label: 'POST /companies', handle: createOrUpdate },
  { method: 'GET', pattern: /^\/companies$/, label: 'GET /companies', handle: retrieve },
  { method: 'GET', pattern: /^\/companies\/([^/]+)$/, label: 'GET /companies/{id}', handle: (ctx) => ({ body: companyJson(existing(ctx)) }) },
  { method: 'PUT', pattern: /^\/companies\/([^/]+)$/, label: 'PUT /companies/{id}', handle: update },
  { method: 'DELETE', pattern: /^\/companies\/([^/]+)$/, label: 'DELETE /companies/{id}', handle: remove },
];
