import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  checksumOf,
  compositeChecksum,
  createDigester,
  isWellFormedChecksum,
  multipartEtag,
} from './checksums.js';
import { crc32, crc32c, makeCrc } from './crc.js';

const CHECK = Buffer.from('123456789');

describe('checksums', () => {
  it('CRC32 and CRC32C match the standard check values of "123456789"', () => {
    const cases: [string, (c: number, b: Uint8Array) => number, number][] = [
      ['crc32 (native or table)', crc32, 0xcbf43926],
      ['crc32 table', makeCrc(0xedb88320), 0xcbf43926],
      ['crc32c', crc32c, 0xe3069283],
    ];
    for (const [name, fn, want] of cases) assert.equal(fn(0, CHECK), want, name);
  });

  it('incremental updates equal one pass, for every split and length', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff));
    for (const alg of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
      const whole = checksumOf(alg, data);
      for (const split of [0, 1, 7, 8, 9, 64, 299, 300]) {
        const d = createDigester(alg);
        d.update(data.subarray(0, split));
        d.update(data.subarray(split));
        assert.deepEqual(d.digest(), whole, `${alg} split ${split}`);
      }
    }
  });

  it('encodes values as S3 does (base64 of big-endian CRC, raw SHA digests)', () => {
    assert.equal(checksumOf('CRC32', CHECK).toString('hex'), 'cbf43926');
    assert.equal(checksumOf('CRC32C', CHECK).toString('hex'), 'e3069283');
    assert.equal(
      checksumOf('SHA256', CHECK).toString('hex'),
      createHash('sha256').update(CHECK).digest('hex'),
    );
    assert.equal(
      checksumOf('SHA1', Buffer.alloc(0)).toString('hex'),
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    );
  });

  it('checks the shape of a checksum value', () => {
    const cases: [Parameters<typeof isWellFormedChecksum>[0], string, boolean][] = [
      ['CRC32', 'yZRlqg==', true],
      ['CRC32', 'yZRlqg', false],
      ['CRC32', 'AAAAAAAA', false],
      ['SHA256', checksumOf('SHA256', CHECK).toString('base64'), true],
      ['SHA1', checksumOf('SHA256', CHECK).toString('base64'), false],
      ['CRC32C', '!!!!', false],
    ];
    for (const [alg, value, ok] of cases)
      assert.equal(isWellFormedChecksum(alg, value), ok, `${alg} ${value}`);
  });

  it('makes composite checksums and multipart ETags from the binary part values', () => {
    const parts = [Buffer.from('a'), Buffer.from('b')];
    const sums = parts.map((p) => checksumOf('CRC32C', p).toString('base64'));
    const want = checksumOf('CRC32C', Buffer.concat(parts.map((p) => checksumOf('CRC32C', p)))).toString(
      'base64',
    );
    assert.equal(compositeChecksum('CRC32C', sums), `${want}-2`);
    const md5s = parts.map((p) => createHash('md5').update(p).digest());
    const etag = createHash('md5').update(Buffer.concat(md5s)).digest('hex');
    assert.equal(multipartEtag(md5s.map((m) => `"${m.toString('hex')}"`)), `"${etag}-2"`);
  });
});
