import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import { checkPreconditions, etagMatches, parseHttpDate, readPreconditions } from './conditions.js';

const version = { etag: '"abc"', lastModified: new Date('2024-05-01T12:00:00.500Z') };
const before = 'Wed, 01 May 2024 11:00:00 GMT';
const same = 'Wed, 01 May 2024 12:00:00 GMT';
const after = 'Wed, 01 May 2024 13:00:00 GMT';

function outcome(headers: Record<string, string>, mode: 'read' | 'copy-source'): string {
  try {
    checkPreconditions(
      version,
      readPreconditions(headers, mode === 'read' ? '' : 'x-amz-copy-source-'),
      mode,
    );
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof S3Error);
    return e.code;
  }
}

describe('checkPreconditions for reads (RFC 7232 §6 as S3 applies it)', () => {
  const cases: Array<[name: string, headers: Record<string, string>, want: string]> = [
    ['no conditions', {}, 'ok'],
    ['If-Match same ETag', { 'if-match': '"abc"' }, 'ok'],
    ['If-Match unquoted', { 'if-match': 'abc' }, 'ok'],
    ['If-Match in a list', { 'if-match': '"x", "abc"' }, 'ok'],
    ['If-Match *', { 'if-match': '*' }, 'ok'],
    ['If-Match other ETag', { 'if-match': '"zzz"' }, 'PreconditionFailed'],
    ['If-Unmodified-Since later', { 'if-unmodified-since': after }, 'ok'],
    ['If-Unmodified-Since same second', { 'if-unmodified-since': same }, 'ok'],
    ['If-Unmodified-Since earlier', { 'if-unmodified-since': before }, 'PreconditionFailed'],
    [
      'If-Match true wins over If-Unmodified-Since false',
      { 'if-match': '"abc"', 'if-unmodified-since': before },
      'ok',
    ],
    ['If-None-Match same ETag', { 'if-none-match': '"abc"' }, 'NotModified'],
    ['If-None-Match *', { 'if-none-match': '*' }, 'NotModified'],
    ['If-None-Match other ETag', { 'if-none-match': '"zzz"' }, 'ok'],
    ['If-Modified-Since earlier', { 'if-modified-since': before }, 'ok'],
    ['If-Modified-Since same second', { 'if-modified-since': same }, 'NotModified'],
    ['If-Modified-Since later', { 'if-modified-since': after }, 'NotModified'],
    [
      'If-None-Match false with If-Modified-Since true',
      { 'if-none-match': '"abc"', 'if-modified-since': before },
      'NotModified',
    ],
    [
      'If-None-Match true makes If-Modified-Since irrelevant',
      { 'if-none-match': '"zzz"', 'if-modified-since': after },
      'ok',
    ],
    [
      'If-Match false beats If-None-Match',
      { 'if-match': '"zzz"', 'if-none-match': '"abc"' },
      'PreconditionFailed',
    ],
    [
      'invalid dates are ignored',
      { 'if-modified-since': 'yesterday', 'if-unmodified-since': 'not a date' },
      'ok',
    ],
    ['RFC 850 date', { 'if-unmodified-since': 'Wednesday, 01-May-24 11:00:00 GMT' }, 'PreconditionFailed'],
    ['asctime date', { 'if-modified-since': 'Wed May  1 13:00:00 2024' }, 'NotModified'],
  ];
  for (const [name, headers, want] of cases) {
    it(`${name} → ${want}`, () => assert.equal(outcome(headers, 'read'), want));
  }

  it('NotModified carries ETag and Last-Modified', () => {
    assert.throws(
      () => checkPreconditions(version, readPreconditions({ 'if-none-match': '"abc"' }), 'read'),
      (e: unknown) =>
        e instanceof S3Error &&
        e.status === 304 &&
        e.headers['etag'] === '"abc"' &&
        e.headers['last-modified'] === 'Wed, 01 May 2024 12:00:00 GMT',
    );
  });
});

describe('checkPreconditions for a copy source', () => {
  const cases: Array<[name: string, headers: Record<string, string>, want: string]> = [
    ['if-match same', { 'x-amz-copy-source-if-match': '"abc"' }, 'ok'],
    ['if-match other', { 'x-amz-copy-source-if-match': '"zzz"' }, 'PreconditionFailed'],
    ['if-none-match same', { 'x-amz-copy-source-if-none-match': '"abc"' }, 'PreconditionFailed'],
    ['if-modified-since later', { 'x-amz-copy-source-if-modified-since': after }, 'PreconditionFailed'],
    [
      'if-unmodified-since earlier',
      { 'x-amz-copy-source-if-unmodified-since': before },
      'PreconditionFailed',
    ],
    [
      'if-match true and if-unmodified-since false',
      { 'x-amz-copy-source-if-match': '"abc"', 'x-amz-copy-source-if-unmodified-since': before },
      'ok',
    ],
    [
      'if-none-match false and if-modified-since true',
      { 'x-amz-copy-source-if-none-match': '"abc"', 'x-amz-copy-source-if-modified-since': before },
      'PreconditionFailed',
    ],
    ['plain If-Match is not a copy-source condition', { 'if-match': '"zzz"' }, 'ok'],
  ];
  for (const [name, headers, want] of cases) {
    it(`${name} → ${want}`, () => assert.equal(outcome(headers, 'copy-source'), want));
  }
});

describe('etagMatches and parseHttpDate', () => {
  it('compares ETags without quotes or weak prefixes', () => {
    assert.equal(etagMatches('W/"abc"', '"abc"'), true);
    assert.equal(etagMatches('"ab"', '"abc"'), false);
  });
  it('parses the three HTTP date formats and rejects garbage', () => {
    const want = Date.UTC(1994, 10, 6, 8, 49, 37);
    for (const s of [
      'Sun, 06 Nov 1994 08:49:37 GMT',
      'Sunday, 06-Nov-94 08:49:37 GMT',
      'Sun Nov  6 08:49:37 1994',
    ]) {
      assert.equal(parseHttpDate(s)?.getTime(), want, s);
    }
    assert.equal(parseHttpDate('garbage'), undefined);
  });
});
