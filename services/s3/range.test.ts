import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import { contentRange, parseRange } from './range.js';

type Want = { start: number; end: number } | 'whole' | 'InvalidRange';

function outcome(header: string | undefined, size: number): Want {
  try {
    return parseRange(header, size) ?? 'whole';
  } catch (e) {
    assert.ok(e instanceof S3Error);
    return e.code as 'InvalidRange';
  }
}

describe('parseRange', () => {
  const cases: Array<[header: string | undefined, size: number, want: Want]> = [
    [undefined, 10, 'whole'],
    ['bytes=0-0', 10, { start: 0, end: 0 }],
    ['bytes=0-9', 10, { start: 0, end: 9 }],
    ['bytes=2-5', 10, { start: 2, end: 5 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=3-100', 10, { start: 3, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-100', 10, { start: 0, end: 9 }],
    ['BYTES=1-2', 10, { start: 1, end: 2 }],
    [' bytes=1-2 ', 10, { start: 1, end: 2 }],
    ['bytes=9-9', 10, { start: 9, end: 9 }],
    // Unsatisfiable: starts at or past the end, empty suffix, empty object.
    ['bytes=10-', 10, 'InvalidRange'],
    ['bytes=10-20', 10, 'InvalidRange'],
    ['bytes=-0', 10, 'InvalidRange'],
    ['bytes=0-', 0, 'InvalidRange'],
    ['bytes=0-0', 0, 'InvalidRange'],
    ['bytes=-1', 0, 'InvalidRange'],
    // Not a single valid byte range: ignored, whole object served.
    ['bytes=5-2', 10, 'whole'],
    ['bytes=-', 10, 'whole'],
    ['bytes=0-1,3-4', 10, 'whole'],
    ['items=0-1', 10, 'whole'],
    ['bytes=a-b', 10, 'whole'],
    ['0-1', 10, 'whole'],
    ['', 10, 'whole'],
  ];
  for (const [header, size, want] of cases) {
    it(`${JSON.stringify(header)} of ${size} bytes → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(outcome(header, size), want);
    });
  }

  it('an unsatisfiable range carries Content-Range: bytes */size', () => {
    assert.throws(
      () => parseRange('bytes=50-', 10),
      (e: unknown) => e instanceof S3Error && e.status === 416 && e.headers['content-range'] === 'bytes */10',
    );
  });

  it('formats Content-Range', () => {
    assert.equal(contentRange({ start: 2, end: 5 }, 10), 'bytes 2-5/10');
  });
});
