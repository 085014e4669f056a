import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/config.js';
import { S3Error } from '../../shared/errors.js';
import { parsePutOptions } from './put-options.js';
import type { S3Request } from './types.js';

const config = loadConfig({ STRATA_MAX_OBJECT_SIZE: '1000' });

function request(
  headers: Record<string, string>,
  opts: { key?: string; contentLength?: number | null; trailers?: Record<string, string> } = {},
): S3Request {
  return {
    method: 'PUT',
    bucket: 'b',
    key: opts.key ?? 'k',
    query: new URLSearchParams(),
    headers,
    body: Readable.from([]),
    contentLength: opts.contentLength === null ? undefined : (opts.contentLength ?? 10),
    trailers: () => opts.trailers ?? {},
    signal: new AbortController().signal,
  } as unknown as S3Request;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof S3Error, String(e));
    return e.code;
  }
}

describe('parsePutOptions', () => {
  it('reads the stored headers, defaulting Content-Type to binary/octet-stream', () => {
    const o = parsePutOptions(
      request({
        'content-encoding': 'gzip,aws-chunked',
        'content-disposition': 'inline',
        'content-language': 'de',
        'cache-control': 'no-store',
        expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
      }),
      config,
    );
    assert.deepEqual(o.headers, {
      contentType: 'binary/octet-stream',
      contentEncoding: 'gzip',
      contentDisposition: 'inline',
      contentLanguage: 'de',
      cacheControl: 'no-store',
      expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
    });
  });

  it('drops a Content-Encoding that is only aws-chunked', () => {
    const o = parsePutOptions(
      request({ 'content-encoding': 'aws-chunked', 'content-type': 'text/csv' }),
      config,
    );
    assert.equal(o.headers?.contentEncoding, undefined);
    assert.equal(o.headers?.contentType, 'text/csv');
  });

  it('collects x-amz-meta-* without the prefix, tags and the storage class', () => {
    const o = parsePutOptions(
      request({
        'x-amz-meta-color': 'blue',
        'x-amz-tagging': 'a=1&b=2',
        'x-amz-storage-class': 'GLACIER_IR',
      }),
      config,
    );
    assert.deepEqual(o.userMetadata, { color: 'blue' });
    assert.deepEqual(o.tags, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    assert.equal(o.storageClass, 'GLACIER_IR');
    assert.equal(o.contentLength, 10);
    assert.equal(o.maxSize, 1000);
  });

  it('takes a checksum from its header, or from the trailer x-amz-trailer names', () => {
    const sha = Buffer.alloc(32, 1).toString('base64');
    const fromHeader = parsePutOptions(request({ 'x-amz-checksum-sha256': sha }), config);
    assert.equal(fromHeader.checksumAlgorithm, 'SHA256');
    assert.equal(fromHeader.checksumValue, sha);
    const fromTrailer = parsePutOptions(
      request(
        { 'x-amz-trailer': 'x-amz-checksum-crc32c', 'x-amz-sdk-checksum-algorithm': 'CRC32C' },
        { trailers: { 'x-amz-checksum-crc32c': 'AAAAAA==' } },
      ),
      config,
    );
    assert.equal(fromTrailer.checksumAlgorithm, 'CRC32C');
    assert.equal(fromTrailer.trailingChecksum?.(), 'AAAAAA==');
  });

  const refused: Array<[name: string, req: S3Request, code: string]> = [
    ['no Content-Length', request({}, { contentLength: null }), 'MissingContentLength'],
    ['a body over the maximum', request({}, { contentLength: 1001 }), 'EntityTooLarge'],
    ['a 1025-byte key', request({}, { key: 'x'.repeat(1025) }), 'KeyTooLongError'],
    ['metadata over 2 KB', request({ 'x-amz-meta-a': 'x'.repeat(2048) }), 'MetadataTooLarge'],
    ['an unknown storage class', request({ 'x-amz-storage-class': 'COLD' }), 'InvalidStorageClass'],
    ['a malformed Content-MD5', request({ 'content-md5': 'abc' }), 'InvalidDigest'],
    ['a malformed checksum', request({ 'x-amz-checksum-crc32': 'AAAA' }), 'InvalidRequest'],
    [
      'two checksum headers',
      request({ 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-crc32c': 'AAAAAA==' }),
      'InvalidRequest',
    ],
    [
      'an SDK algorithm without a value',
      request({ 'x-amz-sdk-checksum-algorithm': 'SHA1' }),
      'InvalidRequest',
    ],
    ['an unsupported checksum', request({ 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=' }), 'NotImplemented'],
    ['If-None-Match with an ETag', request({ 'if-none-match': '"abc"' }), 'NotImplemented'],
    ['a bad tag', request({ 'x-amz-tagging': 'aws:x=1' }), 'InvalidTag'],
  ];
  for (const [name, req, code] of refused) {
    it(`refuses ${name} with ${code}`, () =>
      assert.equal(
        errorOf(() => parsePutOptions(req, config)),
        code,
      ));
  }
});
