import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import { partNumberMarkerOf, partNumberOf, quoteEtag, uploadIdOf } from './multipart-request.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof S3Error);
    return e.code;
  }
}

describe('multipart request parameters', () => {
  const partNumbers: [string | null, number | string][] = [
    ['1', 1],
    ['10000', 10000],
    ['0', 'InvalidArgument'],
    ['10001', 'InvalidArgument'],
    ['-1', 'InvalidArgument'],
    ['1.5', 'InvalidArgument'],
    ['abc', 'InvalidArgument'],
    ['', 'InvalidArgument'],
    [null, 'InvalidArgument'],
  ];
  for (const [raw, want] of partNumbers) {
    it(`partNumber=${String(raw)} → ${want}`, () => {
      const q = new URLSearchParams(raw === null ? '' : `partNumber=${raw}`);
      if (typeof want === 'number') assert.equal(partNumberOf(q), want);
      else
        assert.equal(
          code(() => partNumberOf(q)),
          want,
        );
    });
  }

  it('reports an invalid part number with S3 wording', () => {
    assert.throws(
      () => partNumberOf(new URLSearchParams('partNumber=0')),
      (e: unknown) =>
        e instanceof S3Error && e.message === 'Part number must be an integer between 1 and 10000, inclusive',
    );
  });

  it('treats an empty upload id as an unknown upload', () => {
    assert.equal(
      code(() => uploadIdOf(new URLSearchParams('uploadId='))),
      'NoSuchUpload',
    );
    assert.equal(uploadIdOf(new URLSearchParams('uploadId=abc')), 'abc');
  });

  const markers: [string, number | undefined | string][] = [
    ['', undefined],
    ['part-number-marker=', undefined],
    ['part-number-marker=0', 0],
    ['part-number-marker=7', 7],
    ['part-number-marker=-1', 'InvalidArgument'],
    ['part-number-marker=x', 'InvalidArgument'],
    ['part-number-marker=99999999999', 'InvalidArgument'],
  ];
  for (const [query, want] of markers) {
    it(`"${query}" → ${String(want)}`, () => {
      const q = new URLSearchParams(query);
      if (typeof want === 'string')
        assert.equal(
          code(() => partNumberMarkerOf(q)),
          want,
        );
      else assert.equal(partNumberMarkerOf(q), want);
    });
  }

  for (const [given, want] of [
    ['abc', '"abc"'],
    ['"abc"', '"abc"'],
    [' "abc" ', '"abc"'],
  ] as const) {
    it(`quotes ETag ${given}`, () => assert.equal(quoteEtag(given), want));
  }
});
