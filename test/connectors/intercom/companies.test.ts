import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/core/values.ts';
import { item, requestsSince, startRig, statuses, type IntercomRig } from './harness.ts';

const company = (id: string, fields: Row = {}, remoteId: string | null = null) =>
  item(id, { company_id: id, name: `Company ${id}`, ...fields }, remoteId);

describe('intercom connector: companies', () => {
  let rig: IntercomRig;
  const stored = () => new Map(rig.sandbox.records('companies').map((r) => [String(r.company_id), r]));

  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.sandbox.reset());

  it('upsert is one POST /companies per record, creating then updating the same company', async () => {
    const first = await rig.apply('upsert', [company('acme', { plan: 'pro', size: 40, monthly_spend: '199.99', 'custom_attributes.tier': 'gold' })], 'companies');
    const before = rig.sandbox.stats();
    const second = await rig.apply('upsert', [company('acme', { size: 55 })], 'companies');

    expect(second.results).toEqual(first.results);
    expect(second.calls).toBe(1);
    expect(requestsSince(before.byEndpoint, rig.sandbox.stats().byEndpoint)).toEqual({ 'POST /companies': 1 });
    expect(stored().get('acme')).toMatchObject({ name: 'Company acme', plan: 'pro', size: 55, monthly_spend: 199.99, 'custom_attributes.tier': 'gold' });
    expect(rig.sandbox.stats().createsPerKey.companies).toEqual({ acme: 1 });
  });

  it('update addresses the stored id with PUT and never creates a missing company', async () => {
    const [created] = (await rig.apply('upsert', [company('globex')], 'companies')).results;
    const remoteId = created?.status === 'ok' ? created.remoteId : null;

    const result = await rig.apply('update', [company('globex', { industry: 'Energy' }, remoteId), company('initech', { industry: 'Software' })], 'companies');

    expect(statuses(result)).toEqual(['ok', 'not_found']);
    expect(stored().get('globex')?.industry).toBe('Energy');
    expect(stored().has('initech')).toBe(false);
  });

  it('deletes by remote id or by company_id, and a repeated delete still succeeds', async () => {
    const ids = (await rig.apply('upsert', [company('a'), company('b')], 'companies')).results.map((r) => (r.status === 'ok' ? r.remoteId : null));
    const gone = [item('a', {}, ids[0] ?? null), item('b', {})];

    expect(statuses(await rig.apply('delete', gone, 'companies'))).toEqual(['ok', 'ok']);
    expect(statuses(await rig.apply('delete', gone, 'companies'))).toEqual(['ok', 'ok']);
    expect(rig.sandbox.records('companies')).toEqual([]);
  });

  it('a company attribute the workspace never declared fails only that row', async () => {
    const result = await rig.apply('upsert', [company('good'), company('bad', { 'custom_attributes.nope': 1 })], 'companies');
    expect(statuses(result)).toEqual(['ok', 'parameter_invalid']);
    expect([...stored().keys()]).toEqual(['good']);
  });
});
