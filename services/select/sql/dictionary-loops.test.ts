/** Every dictionary loop (kind × table or mask × with or without a branch) against a plain reference. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../test/helpers/seeded-random.js';
import { maskLoop, maskOf, tableLoop, type LoopKind } from './dictionary-loops.js';

function reference(
  kind: LoopKind,
  keep: Uint8Array,
  indices: Int32Array,
  sel: readonly number[],
  count: number,
) {
  const rows = kind === 'narrow' ? sel.slice(0, count) : Array.from({ length: count }, (_, i) => i);
  const kept = rows.filter((r) => keep[indices[r]!] === 1);
  return kind === 'count' ? { n: kept.length, rows: undefined } : { n: kept.length, rows: kept };
}

describe('dictionary loops', () => {
  const rnd = mulberry32(7);
  for (const size of [1, 12, 32, 33, 100]) {
    for (const share of [0, 0.05, 0.5, 0.95, 1]) {
      const keep = Uint8Array.from({ length: size }, () => (rnd() < share ? 1 : 0));
      const count = 1000;
      const indices = Int32Array.from({ length: count }, () => Math.floor(rnd() * size));
      const narrowFrom = Array.from({ length: count }, (_, i) => i).filter(() => rnd() < 0.6);
      for (const kind of ['select', 'narrow', 'count'] as const) {
        for (const branch of [false, true]) {
          it(`${kind}, ${size} entries, ${share} kept, branch ${branch}`, () => {
            const n = kind === 'narrow' ? narrowFrom.length : count;
            const want = reference(kind, keep, indices, narrowFrom, n);
            const forms: [string, (sel: Int32Array) => number][] = [
              ['table', (sel) => tableLoop(kind, branch)(keep, indices, sel, n)],
            ];
            const mask = maskOf(keep);
            assert.equal(mask === undefined, size > 32);
            if (mask !== undefined)
              forms.push(['mask', (sel) => maskLoop(kind, branch)(mask, indices, sel, n)]);
            for (const [form, run] of forms) {
              const sel = new Int32Array(count);
              sel.set(narrowFrom);
              const got = run(sel);
              assert.equal(got, want.n, form);
              if (want.rows) assert.deepEqual(Array.from(sel.subarray(0, got)), want.rows, form);
            }
          });
        }
      }
    }
  }
});
