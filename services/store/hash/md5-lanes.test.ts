/**
 * The md5-lanes addon: built wherever the CPU has AVX-512 (as this project's
 * machines do), and its digests equal node:crypto's for many bodies updated
 * together in uneven pieces, partial blocks and empty updates included.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { seededBytes } from '../../../test/helpers/seeded-random.js';
import { md5Lanes } from './md5-lanes.js';

const hasAvx512 = process.arch === 'x64' && /\bavx512f\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));

describe('md5-lanes addon', () => {
  it('is built, with sixteen lanes, where the CPU has AVX-512', () => {
    if (!hasAvx512) return;
    assert.ok(md5Lanes, 'strata-md5-lanes did not load: was it built at npm install?');
    assert.equal(md5Lanes.lanes(), 16);
  });

  it('gives the MD5 node:crypto gives, for bodies updated together in uneven pieces', () => {
    if (!md5Lanes) return;
    const lanes = md5Lanes;
    // 40 bodies from empty to ~200 KiB; lengths and piece sizes chosen to hit partial blocks.
    const bodies = Array.from({ length: 40 }, (_, i) =>
      seededBytes(1000 + i, i === 0 ? 0 : (i * 5171) % 200_003),
    );
    const states = bodies.map(() => lanes.newState());
    const at = bodies.map(() => 0);
    for (let round = 0; at.some((p, i) => p < bodies[i]!.length); round++) {
      const s: Buffer[] = [];
      const d: Buffer[] = [];
      bodies.forEach((b, i) => {
        if ((round + i) % 5 === 0) return; // not every body in every call
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
      assert.deepEqual(lanes.digest(states[i]!), createHash('md5').update(b).digest(), `body ${i}`),
    );
  });

  it('gives the right MD5 for two bodies of different lengths hashed side by side', () => {
    if (!md5Lanes) return;
    const bodies = [seededBytes(7, 300_001), seededBytes(8, 500_000)];
    const states = bodies.map(() => md5Lanes!.newState());
    md5Lanes.update(states, bodies);
    bodies.forEach((b, i) =>
      assert.deepEqual(md5Lanes!.digest(states[i]!), createHash('md5').update(b).digest(), `body ${i}`),
    );
  });

  it('refuses a state given twice in one call', () => {
    if (!md5Lanes) return;
    const s = md5Lanes.newState();
    assert.throws(() => md5Lanes!.update([s, s], [Buffer.alloc(64), Buffer.alloc(64)]), TypeError);
  });
});
