import type { Intercom } from 'intercom-client';
import type { BatchItem, ItemResult, WriteOperation } from '../connector.ts';
import { statusOf } from './errors.ts';
import { buildPayload } from './payload.ts';
import { idOf, notFoundRow, ok, type WriteContext } from './write-context.ts';

function companyIdOf(item: BatchItem): string {
  const value = item.fields.company_id;
  return value === undefined || value === null ? item.key : String(value);
}

/** `GET /companies?company_id=`; null when there is none. */
async function findByCompanyId(ctx: WriteContext, companyId: string): Promise<string | null> {
  try {
    return idOf(await ctx.tracker.send(() => ctx.client.companies.retrieve({ company_id: companyId })));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** `POST /companies` creates or updates by company_id, so upsert and create are the same single call. */
async function createOrUpdate(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const payload = { ...buildPayload('companies', item.fields, ctx.schema), company_id: companyIdOf(item) };
  return ok(idOf(await ctx.tracker.send(() => ctx.client.companies.createOrUpdate(payload as Intercom.CreateOrUpdateCompanyRequest))));
}

/** Update only: `PUT /companies/{id}`, which (unlike POST) never creates a missing company. */
async function updateOnly(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const { company_id: _companyId, ...body } = buildPayload('companies', item.fields, ctx.schema);
  const id = item.remoteId ?? (await findByCompanyId(ctx, companyIdOf(item)));
  if (id === null) return notFoundRow(`No Intercom company has company_id ${companyIdOf(item)}; an upsert would create it`);
  try {
    return ok(idOf(await ctx.tracker.send(() => ctx.client.companies.update({ company_id: id, body: body as Intercom.UpdateCompanyRequestBody }))));
  } catch (error) {
    if (statusOf(error) === 404) return notFoundRow(`Intercom company ${id} no longer exists (deleted outside Ebb?); an upsert would re-create it`);
    throw error;
  }
}

async function remove(ctx: WriteContext, item: BatchItem): Promise<ItemResult> {
  const id = item.remoteId ?? (await findByCompanyId(ctx, companyIdOf(item)));
  if (id === null) return ok(null);
  try {
    await ctx.tracker.send(() => ctx.client.companies.delete({ company_id: id }));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  return ok(id);
}

export function writeCompany(ctx: WriteContext, operation: WriteOperation, item: BatchItem): Promise<ItemResult> {
  switch (operation) {
    case 'upsert':
    case 'create':
      return createOrUpdate(ctx, item);
    case 'update':
      return updateOnly(ctx, item);
    case 'delete':
      return remove(ctx, item);
  }
}
