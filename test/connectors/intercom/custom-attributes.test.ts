import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalError } from '../../../src/core/errors.ts';
import { contactItem, contactsByExternalId, startRig, statuses, type IntercomRig } from './harness.ts';

describe('intercom connector: custom attributes', () => {
  let rig: IntercomRig;

  beforeAll(async () => {
    rig = await startRig({
      customAttributes: [
        { name: 'plan', model: 'contact', data_type: 'string' },
        { name: 'lifetime_value', model: 'contact', data_type: 'float' },
        { name: 'seats', model: 'contact', data_type: 'integer' },
        { name: 'trial_ends_at', model: 'contact', data_type: 'date' },
        { name: 'beta', model: 'contact', data_type: 'boolean' },
      ],
    });
  });
  afterAll(() => rig.close());

  it('sends custom_attributes.<name> fields inside custom_attributes, in the type Intercom declares', async () => {
    // As a warehouse hands them over: DECIMAL as a fixed-scale string, TIMESTAMP as ISO, plan as a number.
    const result = await rig.apply('upsert', [
      contactItem('ca-1', {
        'custom_attributes.plan': 2024,
        'custom_attributes.lifetime_value': '1234.50',
        'custom_attributes.seats': '12',
        'custom_attributes.trial_ends_at': '2025-03-01T12:00:00.000Z',
        'custom_attributes.beta': true,
      }),
    ]);

    expect(statuses(result)).toEqual(['ok']);
    expect(contactsByExternalId(rig.sandbox).get('ca-1')).toMatchObject({
      'custom_attributes.plan': '2024',
      'custom_attributes.lifetime_value': 1234.5,
      'custom_attributes.seats': 12,
      'custom_attributes.trial_ends_at': Date.UTC(2025, 2, 1, 12) / 1000,
      'custom_attributes.beta': true,
    });
  });

  it('an update changes only the attributes it sends and can clear one with null', async () => {
    await rig.apply('upsert', [contactItem('ca-2', { 'custom_attributes.plan': 'starter', 'custom_attributes.seats': 3 })]);
    await rig.apply('upsert', [contactItem('ca-2', { 'custom_attributes.plan': null })]);
    expect(contactsByExternalId(rig.sandbox).get('ca-2')).toMatchObject({ 'custom_attributes.plan': null, 'custom_attributes.seats': 3 });
  });

  it('an attribute the workspace never declared fails that row with Intercom\'s error, the others go through', async () => {
    const result = await rig.apply('upsert', [contactItem('ca-3'), contactItem('ca-4', { 'custom_attributes.favourite_colour': 'teal' })]);

    expect(result.results[0]?.status).toBe('ok');
    expect(result.results[1]).toEqual({
      status: 'failed',
      error: { code: 'parameter_invalid', message: "Custom attribute 'favourite_colour' does not exist", field: 'custom_attributes.favourite_colour' },
    });
    expect(contactsByExternalId(rig.sandbox).has('ca-4')).toBe(false);
  });

  it('a value Intercom cannot take for the declared type is a type_mismatch row error', async () => {
    const result = await rig.apply('upsert', [contactItem('ca-5', { 'custom_attributes.seats': 'twelve' })]);
    expect(result.results[0]).toMatchObject({ status: 'failed', error: { code: 'type_mismatch', field: 'custom_attributes.seats' } });
  });

  it('an integer past 2^53 is sent as written, not rounded: Intercom judges it, and nothing changed is stored', async () => {
    const result = await rig.apply('upsert', [contactItem('ca-7', { 'custom_attributes.seats': '9007199254740993' })]);
    expect(result.results[0]).toMatchObject({ status: 'failed', error: { code: 'type_mismatch', field: 'custom_attributes.seats' } });
    expect(contactsByExternalId(rig.sandbox).has('ca-7')).toBe(false);
  });

  it('refuses a mapping to a field that is neither standard nor custom_attributes.<name>, before any request', async () => {
    const before = rig.sandbox.stats().requests;
    const attempt = rig.apply('upsert', [contactItem('ca-6', { plan: 'pro' })]);
    await expect(attempt).rejects.toThrow(TerminalError);
    await expect(attempt).rejects.toThrow(/custom_attributes\.plan/);
    expect(rig.sandbox.stats().requests).toBe(before);
  });

  it('describe lists the standard fields and the workspace\'s custom attributes', async () => {
    const fields = await rig.session.describe?.('contacts');
    expect(fields).toContainEqual({ name: 'external_id', type: 'string', writable: true, unique: true });
    expect(fields).toContainEqual({ name: 'custom_attributes.lifetime_value', type: 'float', writable: true });
    expect(fields?.filter((f) => f.name.startsWith('custom_attributes.'))).toHaveLength(5);
  });
});
