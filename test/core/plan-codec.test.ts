import { describe, expect, it } from 'vitest';
import { decodePlan, encodePlan, GZIP_ABOVE_BYTES, PlanFileError } from '../../src/core/plan-codec.ts';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/core/plan.ts';

function planWith(changes: number): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: '0.1.0',
    id: 'plan-1',
    createdAt: '2026-11-29T00:00:00.000Z',
    syncs: [
      {
        sync: 'contacts',
        definitionHash: 'h',
        base: { lineage: 'l', serial: 3 },
        mode: 'upsert',
        destination: { connection: 'crm', object: 'contacts', matchOn: 'email' },
        sensitiveFields: ['phone'],
        changes: Array.from({ length: changes }, (_, i) => ({
          action: 'create' as const,
          key: `user${i}@example.com`,
          after: { email: `user${i}@example.com`, phone: `+33 1 ${i}`, note: 'é "quoted" \n line' },
          before: null,
          changedFields: ['email', 'note', 'phone'],
          fingerprint: `fp${i}`,
          remoteId: null,
        })),
        totals: { create: changes, update: 0, delete: 0 },
        modelRows: changes,
        snapshotRows: 0,
        ignored: { update: 0, delete: 0 },
        diagnostics: [],
        blocked: null,
        errored: false,
      },
    ],
  };
}

describe('plan codec', () => {
  it('round-trips a small plan as plain JSON, exact payloads included', () => {
    const plan = planWith(3);
    const bytes = encodePlan(plan);
    expect(bytes[0]).toBe('{'.charCodeAt(0));
    expect(decodePlan(bytes)).toEqual(plan);
  });

  it('gzips a large plan and still round-trips it', () => {
    const plan = planWith(20_000);
    const bytes = encodePlan(plan);
    expect(JSON.stringify(plan).length).toBeGreaterThan(GZIP_ABOVE_BYTES);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(bytes.length).toBeLessThan(JSON.stringify(plan).length / 4);
    expect(decodePlan(bytes)).toEqual(plan);
  });

  it('refuses other format versions, other files and corrupt data, saying what to do', () => {
    const other = Buffer.from(JSON.stringify({ ebbPlan: true, ...planWith(1), formatVersion: PLAN_FORMAT_VERSION + 1 }));
    expect(() => decodePlan(other)).toThrow(/format version 2; this Ebb reads version 1\. Re-run `ebb plan`/);
    expect(() => decodePlan(Buffer.from('{"hello":1}'))).toThrow(PlanFileError);
    expect(() => decodePlan(Buffer.from('not json'))).toThrow(/not valid JSON/);
    expect(() => decodePlan(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toThrow(/corrupt/);
  });
});
