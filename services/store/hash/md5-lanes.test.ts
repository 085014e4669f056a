/**
 * The md5-lanes addon: built wherever the CPU has AVX2 or AVX-512 (as this
 * project's machines do), with the best kernel the CPU has; and with every
 * kernel the CPU has, its digests equal node:crypto's for many bodies
 * updated together in uneven pieces, partial blocks and empty updates
 * included.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { seededBytes } from '../../../test/helpers/seeded-random.js';
import { md5Lanes, type Md5Lanes } from './md5-lanes.js';

const cpuFlags = process.arch === 'x64' ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
const hasAvx512 = /\bavx512f\b/.test(cpuFlags);
const hasAvx2 = /\bavx2\b/.test(cpuFlags);
const KERNELS = ['avx512', 'avx2', 'openssl'] as const;
const expectedKernels = KERNELS.filter((k) => k === 'openssl' || (k === 'avx512' ? hasAvx512 : hasAvx2));

/** Bodies fed in pieces of uneven length, not every body in every call. */
function checkUneven(lanes: Md5Lanes, count: number, maxLength: number): void {
  const bodies = Array.from({ length: count }, (_, i) =>
    seededBytes(1000 + i, i === 0 ? 0 : (i * 5171) % maxLength),
  );
  const states = bodies.map(() => lanes.newState());
  const at = bodies.map(() => 0);
  for (let round = 0; at.some((p, i) => p < bodies[i]!.length); round++) {
    const s: Buffer[] = [];
    const d: Buffer[] = [];
    bodies.forEach((b, i) => {
      if ((round + i) % 5 === 0) return;
      const n = Math.min(
        b.length - at[i]!,
        ((round * 7919 + i * 104_729) % 70_000) + (round % 3 === 0 ? 0 : 1),
      );
      s.push(states[i]!);
      d.push(b.subarray(at[i]!, at[i]! + n));
      at[i]! += n;
    });
    lanes.update(s, d);
  }
  bodies.forEach((b, i) =>
    assert.deepEqual(lanes.digest(states[i]!), createHash('md5').update(b).digest(), `body ${i} of ${count}`),
  );
}

describe('md5-lanes addon', () => {
  const chosen = md5Lanes?.kernel();
  after(() => chosen && md5Lanes?.useKernel(chosen));

  it('is built, with sixteen lanes and the widest kernel the CPU has', () => {
    if (!hasAvx2 && !hasAvx512) return; // no SIMD kernel here: the hash threads use node:crypto
    assert.ok(md5Lanes, 'strata-md5-lanes did not load: was it built at npm install?');
    assert.equal(md5Lanes.lanes(), 16);
    assert.equal(md5Lanes.kernel(), hasAvx512 ? 'avx512' : 'avx2');
  });

  it('runs exactly the kernels the CPU has', () => {
    if (!md5Lanes) return;
    for (const k of KERNELS) {
      assert.equal(md5Lanes.useKernel(k), expectedKernels.includes(k), k);
      if (expectedKernels.includes(k)) assert.equal(md5Lanes.kernel(), k);
    }
    const before = md5Lanes.kernel();
    assert.equal(md5Lanes.useKernel('sse9'), false);
    assert.equal(md5Lanes.kernel(), before);
  });

  for (const k of KERNELS) {
    describe(`with the ${k} kernel`, () => {
      const use = (): Md5Lanes | undefined => (md5Lanes?.useKernel(k) ? md5Lanes : undefined);

      // Counts around one set of eight lanes (AVX2) and sixteen, and more bodies than lanes.
      for (const count of [1, 2, 3, 8, 9, 16, 17, 40]) {
        it(`gives node:crypto's MD5 for ${count} bodies updated together in uneven pieces`, () => {
          const lanes = use();
          if (lanes) checkUneven(lanes, count, count > 16 ? 200_003 : 70_003);
          else assert.ok(!expectedKernels.includes(k), `${k} should run on this CPU`);
        });
      }

      it('gives the right MD5 for bodies of different lengths hashed side by side', () => {
        const lanes = use();
        if (!lanes) return;
        const bodies = [seededBytes(7, 300_001), seededBytes(8, 500_000), seededBytes(9, 64 * 11)];
        const states = bodies.map(() => lanes.newState());
        lanes.update(states, bodies);
        bodies.forEach((b, i) =>
          assert.deepEqual(lanes.digest(states[i]!), createHash('md5').update(b).digest(), `body ${i}`),
        );
      });
    });
  }

  it('refuses a state given twice in one call', () => {
    if (!md5Lanes) return;
    const s = md5Lanes.newState();
    assert.throws(() => md5Lanes!.update([s, s], [Buffer.alloc(64), Buffer.alloc(64)]), TypeError);
  });
});
