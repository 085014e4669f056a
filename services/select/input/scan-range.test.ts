import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../shared/errors.js';
import type { ScanRange } from '../types.js';
import { chunksOf, collectCsv, collectJson, outcome } from './reader-test-kit.js';
import { resolveScanRange, scanRangeOpenOffset } from './scan-range.js';

/** The object from the offset the caller opens it at for `range`, in small chunks. */
function from(data: string, range: ScanRange, delimiter: string, chunk = 3) {
  const offset = scanRangeOpenOffset(range, delimiter);
  return { input: chunksOf(Buffer.from(data).subarray(offset), chunk), inputOffset: offset };
}

/** Independent oracle: the records whose first byte lies in [start, end). */
function expected(data: string, delimiter: string, range: ScanRange): string[] {
  const buf = Buffer.from(data);
  const d = Buffer.from(delimiter);
  const out: string[] = [];
  let s = 0;
  while (s < buf.length) {
    let e = buf.indexOf(d, s);
    if (e === -1) e = buf.length;
    if (s >= range.start && s < (range.end ?? Infinity)) out.push(buf.subarray(s, e).toString());
    s = e + d.length;
  }
  return out;
}

describe('resolveScanRange (S3: End inclusive, End alone = the last End bytes)', () => {
  const ok = [
    { start: 50, end: 100, size: 1000, range: { start: 50, end: 101 } },
    { start: 50, end: undefined, size: 1000, range: { start: 50, end: undefined } },
    { start: undefined, end: 50, size: 1000, range: { start: 950, end: undefined } },
    { start: undefined, end: 50, size: 20, range: { start: 0, end: undefined } },
    { start: 0, end: 0, size: 10, range: { start: 0, end: 1 } },
  ];
  for (const c of ok) {
    it(`<Start>${c.start}</Start><End>${c.end}</End> of ${c.size} bytes`, () => {
      assert.deepEqual(resolveScanRange(c.start, c.end, c.size), c.range);
    });
  }
  const bad: [number | undefined, number | undefined][] = [
    [10, 5],
    [-1, 5],
    [0, -2],
    [undefined, undefined],
    [1.5, 3],
  ];
  for (const [start, end] of bad) {
    it(`refuses Start ${start} End ${end}`, () => {
      assert.throws(
        () => resolveScanRange(start, end, 100),
        (e: unknown) => e instanceof S3Error && e.code === 'InvalidScanRange',
      );
    });
  }
});

describe('ScanRange on CSV', () => {
  // Offsets: "aa,1" 0–4, "bbb,2" 5–10, "cc,3" 11–15, "d,4" 16–19.
  const data = 'aa,1\nbbb,2\ncc,3\nd,4\n';
  const written = [
    { range: { start: 0, end: 5 }, rows: [['aa', '1']] },
    {
      range: { start: 0, end: 6 },
      rows: [
        ['aa', '1'],
        ['bbb', '2'],
      ],
    },
    { range: { start: 1, end: 6 }, rows: [['bbb', '2']] }, // skips the partial first record
    { range: { start: 5, end: 6 }, rows: [['bbb', '2']] }, // starts exactly on a record
    { range: { start: 4, end: 5 }, rows: [] }, // just the newline: no record starts there
    { range: { start: 6, end: 12 }, rows: [['cc', '3']] }, // straddles the end: read whole
    { range: { start: 12, end: undefined }, rows: [['d', '4']] },
    { range: { start: 19, end: undefined }, rows: [] },
  ];
  for (const c of written) {
    it(`[${c.range.start}, ${c.range.end}) → ${JSON.stringify(c.rows)}`, async () => {
      const { input, inputOffset } = from(data, c.range, '\n');
      const r = await collectCsv(input, {}, { scanRange: c.range, inputOffset });
      assert.deepEqual(r.rows, c.rows);
    });
  }

  const objects = [
    { name: 'LF', data: 'x,1\nyy,22\nzzz,333\nw,4', delimiter: '\n' },
    { name: 'CRLF delimiter', data: 'x,1\r\nyy,22\r\nzzz,333\r\nw,4\r\n', delimiter: '\r\n' },
    { name: '"|" delimiter, multi-byte text', data: 'é,1|ünï,22|€,3|', delimiter: '|' },
  ];
  for (const o of objects) {
    it(`every range of a small object matches the first-byte rule (${o.name})`, async () => {
      const size = Buffer.byteLength(o.data);
      for (let start = 0; start < size; start++) {
        for (let end = start + 1; end <= size + 1; end++) {
          const range = { start, end: end > size ? undefined : end };
          const { input, inputOffset } = from(o.data, range, o.delimiter, 2);
          const r = await collectCsv(
            input,
            { recordDelimiter: o.delimiter },
            { scanRange: range, inputOffset },
          );
          const want = expected(o.data, o.delimiter, range).map((t) => t.split(','));
          assert.deepEqual(r.rows, want, `[${start}, ${range.end})`);
          // Reading from byte 0 (an earlier offset than needed) gives the same.
          const r0 = await collectCsv(
            chunksOf(o.data, 2),
            { recordDelimiter: o.delimiter },
            { scanRange: range, inputOffset: 0 },
          );
          assert.deepEqual(r0.rows, want, `[${start}, ${range.end}) from 0`);
        }
      }
    });
  }

  it('USE with a range past the start reads the header from the object start', async () => {
    const csv = 'name,n\nann,1\nbob,2\ncid,3\n';
    const range = { start: 2, end: 14 };
    const { input, inputOffset } = from(csv, range, '\n');
    let opened = 0;
    const r = await collectCsv(
      input,
      { fileHeaderInfo: 'USE' },
      {
        scanRange: range,
        inputOffset,
        openHeader: () => {
          opened++;
          return chunksOf(csv, 4);
        },
      },
    );
    assert.equal(opened, 1);
    assert.deepEqual(r.header, ['name', 'n']);
    assert.deepEqual(r.rows, [
      ['ann', '1'],
      ['bob', '2'],
    ]);
  });

  it('USE with a range from 0 takes the header from the range itself', async () => {
    const csv = 'name,n\nann,1\nbob,2\n';
    const range = { start: 0, end: 8 };
    const r = await collectCsv(
      chunksOf(csv),
      { fileHeaderInfo: 'USE' },
      { scanRange: range, inputOffset: 0 },
    );
    assert.deepEqual(r.header, ['name', 'n']);
    assert.deepEqual(r.rows, [['ann', '1']]);
  });

  it('IGNORE skips the first line only when the range starts at 0', async () => {
    const csv = 'h\na\nb\n';
    const at0 = await collectCsv(
      chunksOf(csv),
      { fileHeaderInfo: 'IGNORE' },
      { scanRange: { start: 0, end: undefined } },
    );
    assert.deepEqual(at0.rows, [['a'], ['b']]);
    const { input, inputOffset } = from(csv, { start: 2, end: undefined }, '\n');
    const later = await collectCsv(
      input,
      { fileHeaderInfo: 'IGNORE' },
      { scanRange: { start: 2, end: undefined }, inputOffset },
    );
    assert.deepEqual(later.rows, [['a'], ['b']]);
  });

  it('stops pulling the object after the record that straddles the end', async () => {
    let pulled = 0;
    async function* input() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield Buffer.from(`row${i}\n`);
      }
    }
    const r = await collectCsv(input(), {}, { scanRange: { start: 0, end: 7 }, inputOffset: 0 });
    assert.deepEqual(r.rows, [['row0'], ['row1']]);
    assert.ok(pulled <= 3, `pulled ${pulled}`);
  });
});

describe('ScanRange on JSON LINES', () => {
  // Offsets: {"a":1} 0–7, {"a":22} 8–16, {"a":333} 17–26.
  const data = '{"a":1}\n{"a":22}\n{"a":333}\n';
  const written = [
    { range: { start: 0, end: 1 }, records: [{ a: 1 }] },
    { range: { start: 1, end: 9 }, records: [{ a: 22 }] },
    { range: { start: 8, end: 18 }, records: [{ a: 22 }, { a: 333 }] },
    { range: { start: 9, end: 17 }, records: [] },
  ];
  for (const c of written) {
    it(`[${c.range.start}, ${c.range.end}) → ${JSON.stringify(c.records)}`, async () => {
      const { input, inputOffset } = from(data, c.range, '\n');
      const r = await collectJson(input, 'LINES', { scanRange: c.range, inputOffset });
      assert.deepEqual(r.records, c.records);
    });
  }
  it('every range matches the first-byte rule', async () => {
    const size = data.length;
    for (let start = 0; start < size; start++) {
      for (let end = start + 1; end <= size; end++) {
        const range = { start, end };
        const { input, inputOffset } = from(data, range, '\n', 2);
        const r = await collectJson(input, 'LINES', { scanRange: range, inputOffset });
        const want = expected(data, '\n', range)
          .filter((t) => t !== '')
          .map((t) => JSON.parse(t) as unknown);
        assert.deepEqual(r.records, want, `[${start}, ${end})`);
      }
    }
  });
  it('DOCUMENT refuses a ScanRange', async () => {
    const r = collectJson(chunksOf(data), 'DOCUMENT', { scanRange: { start: 0, end: 5 } });
    assert.equal(await outcome(r), 'UnsupportedScanRangeInput');
  });
});
