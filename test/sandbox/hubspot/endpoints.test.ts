import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubspotSandbox, type HubspotSandbox } from '../../../src/sandbox/hubspot/index.ts';

/** The real client, configured as the connector configures it (no limiter, no retries). */
describe('hubspot sandbox: batch endpoints through @hubspot/api-client', () => {
  let sandbox: HubspotSandbox;
  let client: Client;
  beforeAll(async () => {
    sandbox = await startHubspotSandbox({ knobs: { resultOrder: 'input' } });
    client = new Client({ accessToken: 'pat-sandbox', basePath: sandbox.url });
  });
  afterAll(() => sandbox.close());

  const api = () => client.crm.objects.batchApi;
  const rejected = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error as { code: number; body: any });

  it('upserts by email: stores strings, lower-cases the email, keeps id and timestamps, flags new', async () => {
    const first = await api().upsert('contacts', {
      inputs: [{ idProperty: 'email', id: 'Ann@Example.com', properties: { firstname: 'Ann', num_employees_custom: 12 as never, hs_email_optout: true as never } }],
    });
    const [ann] = first.results;
    expect(ann).toMatchObject({ _new: true, archived: false, properties: { email: 'ann@example.com', num_employees_custom: '12', hs_email_optout: 'true' } });
    expect(ann?.createdAt).toBeInstanceOf(Date);
    const second = await api().upsert('contacts', { inputs: [{ idProperty: 'email', id: 'ann@example.com', properties: { lastname: 'Lee' } }] });
    expect(second.results[0]).toMatchObject({ id: ann?.id, _new: false, properties: { firstname: 'Ann', lastname: 'Lee' } });
    const [stored] = sandbox.records('contacts');
    expect(stored).toMatchObject({ id: ann?.id, properties: { hs_object_id: ann?.id, email: 'ann@example.com' } });
    expect(stored!.updatedAt >= stored!.createdAt).toBe(true);
    expect(sandbox.createsPerKey('contacts', 'email').get('ann@example.com')).toBe(1);
  });

  it('answers 207 with per-input errors when every input carries an objectWriteTraceId', async () => {
    const response = await api().upsertWithHttpInfo('contacts', {
      inputs: [
        { idProperty: 'email', id: 'ok@example.com', properties: { lifecyclestage: 'lead' }, objectWriteTraceId: 't1' },
        { idProperty: 'email', id: 'broken', properties: {}, objectWriteTraceId: 't2' },
        { idProperty: 'email', id: 'enum@example.com', properties: { lifecyclestage: 'vip' }, objectWriteTraceId: 't3' },
        { idProperty: 'email', id: 'prop@example.com', properties: { shoe_size: '44' }, objectWriteTraceId: 't4' },
      ],
    });
    expect(response.httpStatusCode).toBe(207);
    const data = response.data as { results: { objectWriteTraceId?: string }[]; errors?: any[]; numErrors?: number };
    expect(data.results.map((r) => r.objectWriteTraceId)).toEqual(['t1']);
    expect(data.numErrors).toBe(3);
    expect(data.errors?.map((e) => [e.context.objectWriteTraceId[0], e.category, e.errors[0].code, e.errors[0].context.propertyName[0]])).toEqual([
      ['t2', 'VALIDATION_ERROR', 'INVALID_EMAIL', 'email'],
      ['t3', 'VALIDATION_ERROR', 'INVALID_OPTION', 'lifecyclestage'],
      ['t4', 'VALIDATION_ERROR', 'PROPERTY_DOESNT_EXIST', 'shoe_size'],
    ]);
    expect(data.errors?.[1].message).toMatch(/^Property values were not valid: \[\{"isValid":false,.*"error":"INVALID_OPTION","name":"lifecyclestage"\}\]$/);
  });

  it('rejects rows named in the rejectIds knob, by id or by property value', async () => {
    sandbox.setKnobs({ rejectIds: ['forced@example.com', 'Forced Co'] });
    const response = await api().upsertWithHttpInfo('contacts', {
      inputs: [
        { idProperty: 'email', id: 'forced@example.com', properties: {}, objectWriteTraceId: 'f1' },
        { idProperty: 'email', id: 'kept@example.com', properties: { company: 'Forced Co' }, objectWriteTraceId: 'f2' },
        { idProperty: 'email', id: 'fine2@example.com', properties: { company: 'Other' }, objectWriteTraceId: 'f3' },
      ],
    });
    sandbox.setKnobs({ rejectIds: [] });
    const data = response.data as { results: { objectWriteTraceId?: string }[]; errors?: any[] };
    expect(data.results.map((r) => r.objectWriteTraceId)).toEqual(['f3']);
    expect(data.errors?.map((e) => [e.context.objectWriteTraceId[0], e.errors[0].code])).toEqual([
      ['f1', 'SANDBOX_REJECTED'],
      ['f2', 'SANDBOX_REJECTED'],
    ]);
  });

  it('rejects the whole batch with 400 VALIDATION_ERROR, writing nothing, when inputs lack trace ids', async () => {
    const before = sandbox.records('contacts').length;
    const error = await rejected(
      api().upsert('contacts', {
        inputs: [
          { idProperty: 'email', id: 'fine@example.com', properties: {} },
          { idProperty: 'email', id: 'x@example.com', properties: { nope: '1' } },
        ],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      errors: [{ code: 'PROPERTY_DOESNT_EXIST', in: 'nope', context: { propertyName: ['nope'] } }],
      context: { properties: ['nope'] },
    });
    expect(sandbox.records('contacts')).toHaveLength(before);
  });

  it('rejects request-shape problems with 400: over 100 inputs, duplicate ids, missing or non-unique idProperty', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ idProperty: 'email', id: `m${i}@example.com`, properties: {} }));
    expect((await rejected(api().upsert('contacts', { inputs: many }))).body.message).toMatch(/got 101 inputs, the maximum is 100/);
    const dup = await rejected(
      api().upsert('contacts', {
        inputs: [
          { idProperty: 'email', id: 'd@example.com', properties: {} },
          { idProperty: 'email', id: 'D@example.com', properties: {} },
        ],
      }),
    );
    expect(dup.body.message).toMatch(/^Duplicate IDs found in batch input: \[D@example.com\]/);
    expect((await rejected(api().upsert('contacts', { inputs: [{ id: 'x@example.com', properties: {} }] }))).body.message).toMatch(/idProperty is required/);
    const byDomain = await rejected(api().upsert('companies', { inputs: [{ idProperty: 'domain', id: 'acme.com', properties: {} }] }));
    expect(byDomain.code).toBe(400);
    expect(byDomain.body.message).toMatch(/"domain" cannot be used as idProperty/);
  });

  it('creates with 201, and answers 409 CONFLICT for an existing unique value', async () => {
    const created = await api().createWithHttpInfo('deals', { inputs: [{ properties: { dealname: 'Big', ebb_deal_id: 'X-1', amount: '10' }, associations: [] }] });
    expect(created.httpStatusCode).toBe(201);
    const conflict = await rejected(api().create('deals', { inputs: [{ properties: { dealname: 'Again', ebb_deal_id: 'X-1' }, associations: [] }] }));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({ category: 'CONFLICT', message: `A Deal with ebb_deal_id "X-1" already exists. Existing ID: ${created.data.results[0]?.id}` });
  });

  it('updates by id or idProperty, reads by idProperty (207 for missing ids) and archives with 204', async () => {
    const [deal] = sandbox.records('deals');
    const updated = await api().update('deals', {
      inputs: [
        { id: deal!.id, properties: { amount: '25' } },
        { id: 'X-1', idProperty: 'ebb_deal_id', properties: { dealstage: 'closedwon' } },
      ],
    });
    expect(updated.results.map((r) => r.properties)).toEqual([
      expect.objectContaining({ amount: '25' }),
      expect.objectContaining({ amount: '25', dealstage: 'closedwon' }),
    ]);
    const read = await api().readWithHttpInfo('deals', { idProperty: 'ebb_deal_id', inputs: [{ id: 'X-1' }, { id: 'X-404' }], properties: ['amount'], propertiesWithHistory: [] }, false);
    expect(read.httpStatusCode).toBe(207);
    expect(read.data.results[0]?.properties).toEqual({
      amount: '25',
      ebb_deal_id: 'X-1',
      hs_object_id: deal!.id,
      createdate: expect.any(String),
      hs_lastmodifieddate: expect.any(String),
    });
    expect((read.data as { errors?: any[] }).errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['X-404'] } });
    const archived = await api().archiveWithHttpInfo('deals', { inputs: [{ id: deal!.id }] });
    expect(archived.httpStatusCode).toBe(204);
    expect(sandbox.records('deals')).toEqual([]);
    expect(sandbox.createsPerKey('deals', 'ebb_deal_id').get('X-1')).toBe(1);
  });

  it('serves the properties API with HubSpot defaults and properties added at run time', async () => {
    const contacts = await client.crm.properties.coreApi.getAll('contacts');
    const stage = contacts.results.find((p) => p.name === 'lifecyclestage');
    expect(stage).toMatchObject({ type: 'enumeration', fieldType: 'radio', hasUniqueValue: false, modificationMetadata: { readOnlyValue: false } });
    expect(stage?.options.map((o) => o.value)).toEqual(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
    expect(contacts.results.find((p) => p.name === 'createdate')?.modificationMetadata?.readOnlyValue).toBe(true);
    const deals = await client.crm.properties.coreApi.getAll('deals');
    expect(deals.results.map((p) => p.name)).toEqual(expect.arrayContaining(['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'ebb_deal_id']));
    sandbox.addProperty('companies', { name: 'tier', type: 'enumeration', options: [{ value: 'gold', label: 'Gold' }] });
    const companies = await client.crm.properties.coreApi.getAll('companies');
    expect(companies.results.find((p) => p.name === 'tier')).toMatchObject({ hubspotDefined: false, options: [expect.objectContaining({ value: 'gold' })] });
  });

  it('answers 400 "Unable to infer object type" for objects it does not have, and serves added custom objects', async () => {
    expect((await rejected(client.crm.properties.coreApi.getAll('2-42'))).body.message).toBe('Unable to infer object type from: 2-42');
    sandbox.addObject({ objectTypeId: '2-42', name: 'pets', properties: [{ name: 'tag', type: 'string', hasUniqueValue: true }] });
    await api().upsert(`p${sandbox.portalId}_pets`, { inputs: [{ idProperty: 'tag', id: 'T1', properties: {} }] });
    expect(sandbox.records('p_pets').map((r) => r.properties.tag)).toEqual(['T1']);
  });
});
