import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint, fingerprintOf } from '../../src/core/fingerprint.ts';
import type { FieldMapping } from '../../src/core/sync.ts';
import type { Row } from '../../src/core/values.ts';
import { rowCheck } from '../../src/core/row-check.ts';
import { keyOf, missingColumns, payloadEncoder, rowChecker } from '../../src/engine/mapping.ts';

const mapping: FieldMapping[] = [
  { to: 'zeta', from: 'z', sensitive: false },
  { to: 'alpha', from: 'a', sensitive: false },
  { to: 'Mid', from: 'm', sensitive: true },
  { to: 'nested', from: 'n', sensitive: false },
];

describe('payloadEncoder', () => {
  it('produces exactly canonicalJson of the mapped payload, whatever the values', () => {
    const encode = payloadEncoder(mapping);
    const strings = ['plain', 'quote " inside', 'back\\slash', 'new\nline', 'tab\t', '\u0001ctl', 'é accent', 'emoji 😀', 'lone \ud800 surrogate', 'line\u2028sep', ''];
    const others = [null, 0, -1.5, 0.1, 1e-7, 1e21, 2 ** 53, true, false, [1, 'two', { b: 1, a: 2 }], { y: [null], x: 'é' }];
    for (const value of [...strings, ...others]) {
      const row: Row = { z: value, a: 'A', m: 42, n: { k2: value, k1: [value] }, extra: 'ignored' };
      const payload = { zeta: value, alpha: 'A', Mid: 42, nested: { k2: value, k1: [value] } };
      const encoded = encode(row);
      expect(encoded).toBe(canonicalJson(payload));
      expect(JSON.parse(encoded)).toEqual(payload);
      expect(fingerprintOf(encoded)).toBe(fingerprint(payload));
    }
  });

  it('treats a missing column as null and an empty mapping as {}', () => {
    expect(payloadEncoder(mapping)({})).toBe('{"Mid":null,"alpha":null,"nested":null,"zeta":null}');
    expect(payloadEncoder([])({ a: 1 })).toBe('{}');
  });
});

describe('rowChecker', () => {
  it('gives the check of the exact payload text, the one a commit computes from the stored payload', () => {
    const check = rowChecker(mapping);
    const encode = payloadEncoder(mapping);
    const strings = ['plain', 'quote " inside', 'back\\slash', 'new\nline', '\u0001ctl', 'emoji 😀', 'lone \ud800 surrogate', 'line\u2028sep', '', 'odd'];
    // An escaped character first, last, at an odd or an even position.
    strings.push('"', 'a"', 'ab"', 'abc\\', '\u001fx', 'x\u2029', '漢字', 'é');
    const others = [null, undefined, 0, -0, -1.5, 0.1, 1e-7, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, false, [1, 'two', { b: 1, a: 2 }], { y: [null], x: 'é' }];
    for (const value of [...strings, ...others]) {
      const row = { z: value, a: 'A', m: 42, n: { k2: value ?? null, k1: [value ?? null] } } as Row;
      for (const key of ['k', 'key-2', '']) {
        const encoded = encode(row);
        expect(check(key, row)).toBe(rowCheck(key, encoded));
        // What the store computes at commit: the canonical JSON of the delivered payload.
        expect(check(key, row)).toBe(rowCheck(key, canonicalJson(JSON.parse(encoded) as Row)));
      }
    }
    expect(rowChecker([])('k', { a: 1 })).toBe(rowCheck('k', '{}'));
  });

  it('changes when a mapped value, the key or a destination field name changes; not for unmapped columns', () => {
    const row: Row = { z: 'x', a: 'A', m: 1, n: null, other: 1 };
    const base = rowChecker(mapping)('k', row);
    expect(rowChecker(mapping)('k', { ...row, other: 2 })).toBe(base);
    expect(rowChecker(mapping)('k', { ...row, m: 2 })).not.toBe(base);
    expect(rowChecker(mapping)('k2', row)).not.toBe(base);
    const renamed = mapping.map((m) => (m.to === 'zeta' ? { ...m, to: 'zeta2' } : m));
    expect(rowChecker(renamed)('k', row)).not.toBe(base);
  });
});

describe('keys and columns', () => {
  it('stringifies keys and reports null ones', () => {
    expect(keyOf({ id: 42 }, 'id')).toBe('42');
    expect(keyOf({ id: 'x' }, 'id')).toBe('x');
    expect(keyOf({ id: null }, 'id')).toBeNull();
    expect(keyOf({}, 'id')).toBeNull();
    expect(keyOf({ id: { b: 1, a: 2 } }, 'id')).toBe('{"a":2,"b":1}');
  });

  it('names the columns the model lacks', () => {
    expect(missingColumns({ a: 1, z: 2 }, mapping, 'id')).toEqual(['id', 'm', 'n']);
  });
});
