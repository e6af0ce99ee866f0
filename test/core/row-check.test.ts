import { describe, expect, it } from 'vitest';
import { RowCheckHasher, rowCheck } from '../../src/core/row-check.ts';

/** Deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SAMPLE_UNITS = ['a', 'Z', '0', '"', '\\', '{', '\u0000', 'é', '\u2028', '\ud83d', '\ude00', '漢', ' '];

function randomText(next: () => number, maxLength: number): string {
  const length = Math.floor(next() * maxLength);
  let text = '';
  for (let i = 0; i < length; i += 1) text += SAMPLE_UNITS[Math.floor(next() * SAMPLE_UNITS.length)];
  return text;
}

describe('row checks', () => {
  it('are the same however the text is cut into pieces (odd lengths, empty pieces, split surrogate pairs)', () => {
    const next = random(7);
    const hasher = new RowCheckHasher();
    for (let trial = 0; trial < 500; trial += 1) {
      const key = randomText(next, 12);
      const payload = `{${randomText(next, 60)}}`;
      const text = `${key}\u0000${payload}`;
      hasher.begin();
      let at = 0;
      while (at < text.length) {
        const size = Math.floor(next() * 5); // 0..4 units, so some pieces are empty
        hasher.text(text.slice(at, at + size));
        at += size;
      }
      expect(hasher.end()).toBe(rowCheck(key, payload));
    }
  });

  it('hash a plain string with plainText exactly as with text, and refuse one JSON escapes, rewinding cleanly', () => {
    const next = random(13);
    const escaped = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
    const plain = new RowCheckHasher();
    const reference = new RowCheckHasher();
    let refused = 0;
    for (let trial = 0; trial < 2_000; trial += 1) {
      const before = randomText(next, 5); // odd and even lengths: the value starts on either half of a word
      const value = randomText(next, 6);
      const after = randomText(next, 3);
      plain.begin().text(before).mark();
      if (plain.plainText(value)) {
        expect(escaped.test(value)).toBe(false);
        expect(plain.text(after).end()).toBe(reference.begin().text(before + value + after).end());
      } else {
        refused += 1;
        expect(escaped.test(value)).toBe(true);
        expect(plain.rewind().text(`<${value}>`).end()).toBe(reference.begin().text(`${before}<${value}>`).end());
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(1_900);
  });

  it('are finite numbers: never NaN or ±Infinity, which SQLite could not store as a REAL', () => {
    const next = random(11);
    for (let trial = 0; trial < 20_000; trial += 1) {
      expect(Number.isFinite(rowCheck(randomText(next, 8), randomText(next, 20)))).toBe(true);
    }
  });

  it('tell apart rows that differ by one character, by the key/payload split, or by length', () => {
    const base = rowCheck('c000000001', '{"email":"user1@example.com","score":10}');
    expect(rowCheck('c000000001', '{"email":"user1@example.com","score":11}')).not.toBe(base);
    expect(rowCheck('c000000002', '{"email":"user1@example.com","score":10}')).not.toBe(base);
    expect(rowCheck('c00000000', '1\u0000{"email":"user1@example.com","score":10}')).not.toBe(base);
    expect(rowCheck('c000000001', '{"email":"user1@example.com","score":10} ')).not.toBe(base);
    expect(rowCheck('', '')).not.toBe(rowCheck('', '\u0000'));
  });

  it('do not collide over 200,000 similar rows (sequential keys, one field changing)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i += 1) {
      const key = `c${String(i).padStart(9, '0')}`;
      seen.add(rowCheck(key, `{"plan":"pro","score":${i % 100}}`));
      seen.add(rowCheck(key, `{"plan":"pro","score":${(i % 100) + 1}}`));
    }
    expect(seen.size).toBe(200_000);
  });
});
