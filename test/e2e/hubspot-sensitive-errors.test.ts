import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';

let p: HubspotProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

// Values HubSpot refuses and quotes back ("<value> was not a valid number."), in fields marked sensitive.
const SECRET_NUMBER = 'SECRET-123-45-6789';
const SECRET_DATE = '078-05-1120';

async function refuseTwoSensitiveValues(project: HubspotProject): Promise<void> {
  await project.sql(
    'alter table customers alter employees type varchar',
    `update customers set employees = '${SECRET_NUMBER}' where email = 'user3@example.com'`,
    `update customers set birth_date = '${SECRET_DATE}' where email = 'user7@example.com'`,
  );
}

describe('HubSpot quoting a refused sensitive value back', () => {
  it('records the rejection with its code, field and reason, but never the value', async () => {
    p = await createHubspotProject({ rows: 10, sensitive: ['num_employees_custom', 'date_of_birth'] });
    await refuseTwoSensitiveValues(p);

    const applied = await p.cli(['apply', '--auto-approve']);
    expect(applied.out).toContain('contacts: partial: 8 delivered, 2 failed of 10');
    const errors = await p.cli(['errors', 'contacts']);
    expect(errors.out).toContain('user3@example.com  create  INVALID_INTEGER (num_employees_custom): (sensitive) was not a valid number.');
    expect(errors.out).toContain('user7@example.com  create  INVALID_DATE (date_of_birth): (sensitive) is not a valid date: use YYYY-MM-DD');

    const engine = await p.engine();
    const stored = await engine.store.listRowErrors({ sync: 'contacts', limit: 10 });
    expect(stored.map((e) => [e.key, e.code, e.field]).sort()).toEqual([
      ['user3@example.com', 'INVALID_INTEGER', 'num_employees_custom'],
      ['user7@example.com', 'INVALID_DATE', 'date_of_birth'],
    ]);
    for (const text of [applied.out, applied.err, errors.out, errors.err, JSON.stringify(stored)]) {
      expect(text).not.toContain(SECRET_NUMBER);
      expect(text).not.toContain(SECRET_DATE);
    }
    // Masking changes what is shown, not what is sent: a delivered sensitive value is in HubSpot as it is.
    expect(p.contacts().get('user1@example.com')?.['num_employees_custom']).toBe('1');
  });

  it('masks the value in rows isolated from a batch HubSpot refused whole, and in every engine event', async () => {
    p = await createHubspotProject({ rows: 10, sensitive: ['num_employees_custom', 'date_of_birth'], sandbox: { knobs: { rowErrors: 'wholeBatch' } } });
    await refuseTwoSensitiveValues(p);
    const engine = await p.engine();
    const result = await engine.apply(await engine.plan());
    expect(result.syncs[0]).toMatchObject({ status: 'partial', delivered: 8, failed: 2 });

    const stored = await engine.store.listRowErrors({ sync: 'contacts', limit: 10 });
    expect(stored.map((e) => e.message).sort()).toEqual([
      '(sensitive) is not a valid date: use YYYY-MM-DD or epoch milliseconds at midnight UTC',
      '(sensitive) was not a valid number.',
    ]);
    const reported = JSON.stringify([result, engine.events]);
    expect(reported).not.toContain(SECRET_NUMBER);
    expect(reported).not.toContain(SECRET_DATE);
  });
});
