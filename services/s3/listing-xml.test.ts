import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  parseEncodingType,
  parseMaxKeys,
} from './list-params.js';
import { renderInterleaved, urlEncodeName } from './listing-xml.js';

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof S3Error);
    return e.code;
  }
  return 'ok';
}

describe('urlEncodeName', () => {
  const cases: Array<[string, string]> = [
    ['plain/key.txt', 'plain/key.txt'],
    ['sp ace', 'sp+ace'],
    ['a+b&c=d', 'a%2Bb%26c%3Dd'],
    ["it's (ok)!*", 'it%27s+%28ok%29%21%2A'],
    ['tab\t\n', 'tab%09%0A'],
    ['ümlaut', '%C3%BCmlaut'],
    ['~-_.', '~-_.'],
  ];
  for (const [raw, want] of cases)
    it(`${JSON.stringify(raw)} → ${want}`, () => assert.equal(urlEncodeName(raw), want));
});

describe('parseMaxKeys', () => {
  const cases: Array<[string | null, number | string]> = [
    [null, 1000],
    ['0', 0],
    ['7', 7],
    ['1000', 1000],
    ['1001', 1000],
    ['2147483647', 1000],
    ['-1', 'InvalidArgument'],
    ['ten', 'InvalidArgument'],
    ['1.5', 'InvalidArgument'],
    ['', 'InvalidArgument'],
    ['99999999999', 'InvalidArgument'],
  ];
  for (const [raw, want] of cases) {
    it(`max-keys=${raw} → ${want}`, () => {
      const q = new URLSearchParams(raw === null ? '' : `max-keys=${raw}`);
      if (typeof want === 'number') assert.equal(parseMaxKeys(q), want);
      else
        assert.equal(
          failure(() => parseMaxKeys(q)),
          want,
        );
    });
  }

  it('accepts encoding-type url only', () => {
    assert.equal(parseEncodingType(new URLSearchParams('')), undefined);
    assert.equal(parseEncodingType(new URLSearchParams('encoding-type=url')), 'url');
    assert.equal(
      failure(() => parseEncodingType(new URLSearchParams('encoding-type=base64'))),
      'InvalidArgument',
    );
  });
});

describe('continuation tokens', () => {
  it('round-trip any key', () => {
    for (const key of ['a', 'dir/', 'ümlaut/ sp ace', '']) {
      assert.equal(decodeContinuationToken(encodeContinuationToken(key)), key);
    }
  });
  it('refuse tokens we did not issue', () => {
    for (const token of [
      '',
      'garbage',
      'not a token!',
      Buffer.from('v2:key').toString('base64url'),
      encodeContinuationToken('key').slice(1),
    ]) {
      assert.equal(
        failure(() => decodeContinuationToken(token)),
        'InvalidArgument',
        token,
      );
    }
  });
});

describe('renderInterleaved', () => {
  it('keeps entries of different names in order between head and tail', () => {
    const xml = renderInterleaved(
      'ListVersionsResult',
      { Name: 'b', IsTruncated: false },
      [
        ['Version', { Key: 'a&b', VersionId: '1' }],
        ['DeleteMarker', { Key: 'k', VersionId: '2' }],
        ['Version', { Key: 'k', VersionId: '3' }],
      ],
      { CommonPrefixes: [{ Prefix: 'p/' }] },
    );
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Name>b</Name><IsTruncated>false</IsTruncated>' +
        '<Version><Key>a&amp;b</Key><VersionId>1</VersionId></Version>' +
        '<DeleteMarker><Key>k</Key><VersionId>2</VersionId></DeleteMarker>' +
        '<Version><Key>k</Key><VersionId>3</VersionId></Version>' +
        '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListVersionsResult>',
    );
  });
});
