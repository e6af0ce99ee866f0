import { describe, expect, it } from 'vitest';
import { rowCheck } from '../../src/core/row-check.ts';
import { SortedChecksBuilder } from '../../src/snapshot/sqlite/sorted-checks.ts';

/** Real row checks: uniformly random 64-bit patterns, negative and positive numbers alike. */
const checksOf = (count: number, salt: string): number[] => Array.from({ length: count }, (_, i) => rowCheck(`k${i}`, `{"salt":"${salt}"}`));

const build = (values: number[], length?: number) => {
  const builder = new SortedChecksBuilder(values.length);
  for (const value of values) builder.push(value);
  return builder.build(length);
};

describe('SortedChecks', () => {
  it('finds every value it holds, at its first position, and none it does not hold', () => {
    const held = checksOf(50_000, 'held').sort((a, b) => a - b);
    // A few repeats, as a 64-bit collision in the snapshot would give.
    held.splice(100, 0, held[100]!, held[100]!);
    const checks = build(held);
    expect(checks.length).toBe(held.length);
    expect(held.some((v) => v < 0) && held.some((v) => v > 0)).toBe(true);
    const first = new Map<number, number>();
    held.forEach((v, i) => first.has(v) || first.set(v, i));
    const found = held.map((v) => checks.indexOf(v));
    expect(found).toEqual(held.map((v) => first.get(v)));
    expect(checksOf(50_000, 'other').filter((v) => checks.indexOf(v) !== -1)).toEqual([]);
  });

  it('finds a batch of checks as one lookup each would, and none at or above the bound', () => {
    const held = checksOf(20_000, 'held').sort((a, b) => a - b);
    const checks = build(held);
    const probes = [...checksOf(1_000, 'held'), ...checksOf(1_000, 'other'), -0, 0];
    const below = held[15_000]!;
    const positions = new Int32Array(probes.length + 5).fill(7);
    checks.indexOfAll(probes, probes.length, below, positions);
    expect([...positions.subarray(0, probes.length)]).toEqual(probes.map((p) => (p < below ? checks.indexOf(p) : -1)));
    expect(positions.subarray(0, probes.length).some((p) => p >= 0) && positions.subarray(0, probes.length).some((p) => p === -1)).toBe(true);
    expect([...positions.subarray(probes.length)]).toEqual([7, 7, 7, 7, 7]); // only `count` positions written
  });

  it('gives back exactly the values it was given, in order, with their positions', () => {
    const values = [...checksOf(10_000, 'x'), -1.5, 1.5, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE].sort((a, b) => a - b);
    expect([...build(values).entries()]).toEqual(values.map((v, i) => [i, v]));
  });

  it('tells apart values that differ only in the bits its buckets do not cover', () => {
    const view = new DataView(new ArrayBuffer(8));
    const number = (high: number, low: number) => (view.setUint32(0, high), view.setUint32(4, low), view.getFloat64(0));
    const checks = build([number(0x3ff00000, 5), number(0x3ff00002, 5)]);
    expect(checks.indexOf(number(0x3ff00000, 5))).toBe(0);
    expect(checks.indexOf(number(0x3ff00001, 5))).toBe(-1);
    expect(checks.indexOf(number(0x3ff00000, 6))).toBe(-1);
    expect(checks.indexOf(number(0x3ff00002, 5))).toBe(1);
  });

  it('takes -0 as the +0 it equals, on either side', () => {
    const checks = build([-1, -0, 1]);
    expect(checks.indexOf(0)).toBe(1);
    expect(checks.indexOf(-0)).toBe(1);
    expect(build([-1, 0, 1]).indexOf(-0)).toBe(1);
  });

  it('keeps only the first `length` values when built shorter', () => {
    const values = checksOf(1_000, 'cut').sort((a, b) => a - b);
    const checks = build(values, 600);
    expect(checks.length).toBe(600);
    expect([...checks.entries()].map(([, v]) => v)).toEqual(values.slice(0, 600));
    expect(checks.indexOf(values[599]!)).toBe(599);
    expect(checks.indexOf(values[600]!)).toBe(-1);
  });

  it('refuses values out of order, or more than announced', () => {
    const descending = new SortedChecksBuilder(2);
    descending.push(1e300);
    expect(() => descending.push(-1e300)).toThrow(/ascending order/);
    const full = new SortedChecksBuilder(1);
    full.push(1);
    expect(() => full.push(2)).toThrow(/more than the 1 values/);
  });
});
