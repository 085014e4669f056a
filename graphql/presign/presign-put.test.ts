import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signRequest } from '../../test/helpers/sigv4-sign.js';
import { objectPath, presignPut } from './presign-put.js';

const creds = {
  accessKey: 'AKIDEXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const now = Date.UTC(2024, 4, 1, 12, 30, 0);

describe('presignPut', () => {
  const cases = [
    { key: 'plain.txt', contentType: undefined },
    { key: 'dir/sub dir/ä+b (1)!*.txt', contentType: 'text/plain; charset=utf-8' },
    { key: 'a//b/c', contentType: 'image/png' },
  ];
  for (const c of cases) {
    it(`signs as an independent SigV4 signer does: ${c.key}`, () => {
      const p = presignPut({
        protocol: 'https',
        host: 's3.example.com:9000',
        region: creds.region,
        accessKey: creds.accessKey,
        secretKey: creds.secretKey,
        bucket: 'bkt',
        key: c.key,
        expiresSeconds: 900,
        contentType: c.contentType,
        now,
      });
      const path = objectPath('bkt', c.key);
      const expected = signRequest(creds, {
        method: 'PUT',
        path,
        query: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
        headers: { host: 's3.example.com:9000', ...(c.contentType ? { 'content-type': c.contentType } : {}) },
        date: new Date(now),
        presignExpires: 900,
      });
      const url = new URL(p.url);
      assert.equal(url.origin, 'https://s3.example.com:9000');
      assert.equal(url.pathname, path);
      assert.equal(url.searchParams.get('X-Amz-Signature'), expected.signature);
      assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
      assert.equal(url.searchParams.get('X-Amz-Date'), '20240501T123000Z');
      assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), c.contentType ? 'content-type;host' : 'host');
      assert.deepEqual(p.headers, c.contentType ? [{ name: 'Content-Type', value: c.contentType }] : []);
      assert.equal(p.expiresAt.getTime(), now + 900_000);
    });
  }

  it('encodes keys segment by segment, keeping "/"', () => {
    assert.equal(objectPath('b', 'a b/c+d/é'), '/b/a%20b/c%2Bd/%C3%A9');
  });
});
