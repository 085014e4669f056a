import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileLike } from './like.js';

/** A reference matcher for patterns without escapes: a RegExp, fine for short strings. */
function reference(pattern: string, s: string): boolean {
  const source = Array.from(pattern)
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'su').test(s);
}

describe('LIKE matcher', () => {
  const cases: [string, string, boolean][] = [
    ['abcabc', '%b_a%', true],
    ['ab', 'a%b%', true],
    ['a', 'a%a', false],
    ['aa', 'a%a', true],
    ['aXbXc', 'a_b_c', true],
    ['aXbXc', 'a_b_', false],
    ['x', '%_%', true],
    ['', '%_%', false],
    ['mississippi', 'm%ss%pi', true],
    ['mississippi', 'm%ss%ssx%', false],
  ];
  for (const [s, p, expected] of cases) {
    it(`'${s}' LIKE '${p}' → ${expected}`, () => assert.equal(compileLike(p, undefined)(s), expected));
  }

  it('agrees with a RegExp reference on random strings and patterns', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'b', '😀'];
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: rand(7) }, () => alphabet[rand(3)]).join('');
      const p = Array.from({ length: rand(6) }, () => ['a', 'b', '😀', '%', '_'][rand(5)]).join('');
      assert.equal(compileLike(p, undefined)(s), reference(p, s), `'${s}' LIKE '${p}'`);
    }
  });

  it('takes linear time on patterns that make a backtracking RegExp explode', () => {
    // ^.*a.*a…b$ on this string would not come back; the segment matcher answers at once.
    const s = 'a'.repeat(200_000);
    assert.equal(compileLike('%a%a%a%a%a%a%a%a%a%a%b', undefined)(s), false);
    assert.equal(compileLike('%a_a%a_a%', undefined)(s), true);
  });
});
