import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMapping } from '../../../src/connectors/hubspot/index.ts';
import type { RemoteField } from '../../../src/connectors/connector.ts';
import { startRig, type Rig } from './helpers.ts';

describe('hubspot connector: describe and checkMapping', () => {
  let rig: Rig;
  let contacts: RemoteField[];
  let companies: RemoteField[];
  beforeAll(async () => {
    rig = await startRig();
    contacts = await rig.session.describe!('contacts');
    companies = await rig.session.describe!('companies');
  });
  afterAll(() => rig.close());

  it('reads property names, types, writability and which can be the idProperty', () => {
    const byName = new Map(contacts.map((field) => [field.name, field]));
    expect(byName.get('email')).toEqual({ name: 'email', type: 'string', writable: true, unique: true });
    expect(byName.get('lifecyclestage')).toMatchObject({ type: 'enumeration', writable: true, unique: false });
    expect(byName.get('hs_object_id')).toMatchObject({ type: 'number', writable: false });
    expect(companies.find((field) => field.name === 'domain')).toMatchObject({ unique: false });
    expect(companies.find((field) => field.name === 'ebb_company_id')).toMatchObject({ unique: true, writable: true });
  });

  it('accepts a mapping that fits', () => {
    const mapping = [
      { from: 'email', to: 'email' },
      { from: 'first_name', to: 'firstname' },
      { from: 'stage', to: 'lifecyclestage' },
      { from: 'opted_out', to: 'hs_email_optout' },
      { from: 'born', to: 'date_of_birth' },
    ];
    const types = { email: 'VARCHAR', first_name: 'VARCHAR', stage: 'VARCHAR', opted_out: 'BOOLEAN', born: 'DATE' };
    expect(checkMapping(contacts, mapping, 'email', types)).toEqual([]);
  });

  it('catches an unknown property, a read-only property and a type mismatch', () => {
    const problems = checkMapping(
      contacts,
      [
        { from: 'email', to: 'email' },
        { from: 'first', to: 'first_name' },
        { from: 'notes', to: 'num_notes' },
        { from: 'headcount', to: 'num_employees_custom' },
        { from: 'born', to: 'date_of_birth' },
      ],
      'email',
      { email: 'VARCHAR', first: 'VARCHAR', notes: 'INTEGER', headcount: 'VARCHAR', born: 'TIMESTAMP WITH TIME ZONE' },
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe(
      'HubSpot has no property "first_name" on this object. Did you mean "firstname"? Use the property\'s internal name, or create the property first.',
    );
    expect(problems[1]).toMatch(/"num_notes" is read-only/);
    expect(problems[2]).toMatch(/column "headcount" \(VARCHAR\) does not fit HubSpot number property "num_employees_custom"; cast it in the model to a number/);
    expect(problems[3]).toMatch(/column "born" \(TIMESTAMP WITH TIME ZONE\) does not fit HubSpot date property "date_of_birth"/);
  });

  it('refuses a matchOn HubSpot cannot upsert by (companies by domain) and names the fix', () => {
    const problems = checkMapping(companies, [{ from: 'domain', to: 'domain' }], 'domain');
    expect(problems).toEqual([expect.stringMatching(/matchOn "domain" cannot be HubSpot's idProperty.*unique values/)]);
    expect(checkMapping(companies, [{ to: 'name' }], 'ebb_company_id')).toEqual([]);
    expect(checkMapping(companies, [{ to: 'name' }], 'company_key')[0]).toMatch(/matchOn "company_key" is not a HubSpot property/);
  });

  it('describe of an object HubSpot does not have is a terminal error with a hint', async () => {
    await expect(rig.session.describe!('2-999')).rejects.toMatchObject({ name: 'TerminalError', code: 'UNKNOWN_OBJECT' });
    await expect(rig.session.describe!('tickets')).rejects.toMatchObject({ name: 'TerminalError', code: 'UNKNOWN_OBJECT' });
  });
});
