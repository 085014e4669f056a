/**
 * Bucket CORS end to end: the configuration operations through the real S3
 * client, preflight OPTIONS through fetch() with a real Origin, and the
 * Access-Control-* headers on actual requests.
 */
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  type CORSRule,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error, withHeaders, withoutChecksum } from './sdk-helpers.js';

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

const RULES: CORSRule[] = [
  {
    ID: 'uploads',
    AllowedOrigins: ['https://app.example.com'],
    AllowedMethods: ['PUT', 'POST'],
    AllowedHeaders: ['content-type', 'x-amz-*'],
    ExposeHeaders: ['ETag', 'x-amz-version-id'],
    MaxAgeSeconds: 600,
  },
  { AllowedOrigins: ['https://*.example.org'], AllowedMethods: ['GET'] },
  { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
];

describe('bucket CORS', () => {
  let t: TestStrata;
  const bucket = bucketName('cors');
  const bare = bucketName('nocors');

  function preflight(path: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${t.endpoint}${path}`, { method: 'OPTIONS', headers });
  }

  async function errorCode(res: Response): Promise<string | undefined> {
    return /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1];
  }

  before(async () => {
    t = await startStrata();
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(new CreateBucketCommand({ Bucket: bare }));
    const put = await t.s3.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: RULES } }),
    );
    assert.equal(put.$metadata.httpStatusCode, 200);
  });
  after(() => t.close());

  it('gives the rules back as put, and NoSuchCORSConfiguration when there are none', async () => {
    const got = await t.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    assert.deepEqual(got.CORSRules, RULES);
    const none = await s3Error(t.s3.send(new GetBucketCorsCommand({ Bucket: bare })));
    assert.deepEqual([none.code, none.status], ['NoSuchCORSConfiguration', 404]);
  });

  it('deletes the configuration with 204, also when there is none', async () => {
    const name = bucketName('cors');
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    await t.s3.send(
      new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: [RULES[1]!] } }),
    );
    assert.equal(
      (await t.s3.send(new DeleteBucketCorsCommand({ Bucket: name }))).$metadata.httpStatusCode,
      204,
    );
    assert.equal(
      (await s3Error(t.s3.send(new GetBucketCorsCommand({ Bucket: name })))).code,
      'NoSuchCORSConfiguration',
    );
    assert.equal(
      (await t.s3.send(new DeleteBucketCorsCommand({ Bucket: name }))).$metadata.httpStatusCode,
      204,
    );
    const res = await preflight(`/${name}`, {
      origin: 'https://a.example.org',
      'access-control-request-method': 'GET',
    });
    assert.equal(res.status, 403);
  });

  const invalid: Array<{ name: string; rules: CORSRule[]; code: string }> = [
    { name: 'no rules', rules: [], code: 'MalformedXML' },
    {
      name: 'a rule without an origin',
      rules: [{ AllowedMethods: ['GET'] } as CORSRule],
      code: 'MalformedXML',
    },
    { name: 'a rule without a method', rules: [{ AllowedOrigins: ['*'] } as CORSRule], code: 'MalformedXML' },
    {
      name: 'the method OPTIONS',
      rules: [{ AllowedOrigins: ['*'], AllowedMethods: ['OPTIONS'] }],
      code: 'InvalidRequest',
    },
    {
      name: 'two wildcards in an origin',
      rules: [{ AllowedOrigins: ['https://*.*.com'], AllowedMethods: ['GET'] }],
      code: 'InvalidRequest',
    },
    {
      name: 'two wildcards in a header',
      rules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], AllowedHeaders: ['*-*'] }],
      code: 'InvalidRequest',
    },
    {
      name: 'an ID over 255 characters',
      rules: [{ ID: 'i'.repeat(256), AllowedOrigins: ['*'], AllowedMethods: ['GET'] }],
      code: 'InvalidRequest',
    },
    {
      name: '101 rules',
      rules: Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] })),
      code: 'InvalidRequest',
    },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name} with ${c.code} and keeps the rules`, async () => {
      const err = await s3Error(
        t.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: c.rules } })),
      );
      assert.deepEqual([err.code, err.status], [c.code, 400]);
      assert.deepEqual((await t.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules, RULES);
    });
  }

  it('refuses a configuration without Content-MD5 or a checksum with InvalidRequest', async () => {
    const cmd = new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [RULES[2]!] } });
    const err = await s3Error(t.s3.send(withoutChecksum(cmd)));
    assert.deepEqual([err.code, err.status], ['InvalidRequest', 400]);
    assert.deepEqual((await t.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules, RULES);
  });

  const preflights: Array<{
    name: string;
    path?: string;
    origin?: string;
    method?: string;
    headers?: string;
    status: number;
    code?: string;
    expect?: Record<string, string | undefined>;
  }> = [
    {
      name: 'an upload from the app with allowed headers',
      origin: 'https://app.example.com',
      method: 'PUT',
      headers: 'Content-Type,X-Amz-Date',
      status: 200,
      expect: {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-methods': 'PUT, POST',
        'access-control-allow-headers': 'content-type, x-amz-date',
        'access-control-expose-headers': 'ETag, x-amz-version-id',
        'access-control-max-age': '600',
        'access-control-allow-credentials': 'true',
        vary: VARY,
      },
    },
    {
      name: 'an object path',
      path: 'some/key.txt',
      origin: 'https://app.example.com',
      method: 'POST',
      status: 200,
      expect: {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-headers': undefined,
      },
    },
    {
      name: 'a header no rule allows',
      origin: 'https://app.example.com',
      method: 'PUT',
      headers: 'authorization',
      status: 403,
      code: 'AccessForbidden',
    },
    {
      name: 'a method no rule allows',
      origin: 'https://app.example.com',
      method: 'DELETE',
      status: 403,
      code: 'AccessForbidden',
    },
    {
      name: 'a wildcard subdomain',
      origin: 'https://cdn.example.org',
      method: 'GET',
      status: 200,
      expect: {
        'access-control-allow-origin': 'https://cdn.example.org',
        'access-control-allow-methods': 'GET',
        'access-control-max-age': undefined,
      },
    },
    {
      name: 'the bare domain of a wildcard rule',
      origin: 'https://example.org',
      method: 'GET',
      status: 403,
      code: 'AccessForbidden',
    },
    {
      name: 'any origin',
      origin: 'http://localhost:3000',
      method: 'HEAD',
      status: 200,
      expect: {
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': undefined,
        vary: VARY,
      },
    },
    { name: 'no Origin', method: 'GET', status: 400, code: 'BadRequest' },
    {
      name: 'no Access-Control-Request-Method',
      origin: 'https://cdn.example.org',
      status: 400,
      code: 'BadRequest',
    },
  ];
  for (const c of preflights) {
    it(`preflight: ${c.name} → ${c.status}`, async () => {
      const headers: Record<string, string> = {};
      if (c.origin) headers['origin'] = c.origin;
      if (c.method) headers['access-control-request-method'] = c.method;
      if (c.headers) headers['access-control-request-headers'] = c.headers;
      const res = await preflight(`/${bucket}${c.path ? `/${c.path}` : ''}`, headers);
      assert.equal(res.status, c.status);
      if (c.code) {
        assert.equal(await errorCode(res), c.code);
        assert.equal(res.headers.get('access-control-allow-origin'), null);
      } else {
        assert.equal(await res.text(), '');
      }
      for (const [name, value] of Object.entries(c.expect ?? {})) {
        assert.equal(res.headers.get(name) ?? undefined, value, name);
      }
    });
  }

  it('preflight: 403 AccessForbidden for a missing bucket and for a bucket without CORS', async () => {
    const headers = { origin: 'https://app.example.com', 'access-control-request-method': 'GET' };
    for (const [path, message] of [
      [`/${bucketName('missing')}`, 'CORSResponse: Bucket not found'],
      [`/${bare}/key`, 'CORSResponse: CORS is not enabled for this bucket.'],
    ] as const) {
      const res = await preflight(path, headers);
      assert.equal(res.status, 403);
      const body = await res.text();
      assert.match(body, /<Code>AccessForbidden<\/Code>/);
      assert.ok(body.includes(`<Message>${message}</Message>`), body);
    }
  });

  it('adds CORS headers to actual requests from an allowed origin, and none otherwise', async () => {
    const allowed: { headers?: Record<string, string> } = {};
    await t.s3.send(
      withHeaders(
        new ListObjectsV2Command({ Bucket: bucket }),
        { origin: 'https://www.example.org' },
        allowed,
      ),
    );
    assert.equal(allowed.headers?.['access-control-allow-origin'], 'https://www.example.org');
    assert.equal(allowed.headers?.['access-control-allow-methods'], 'GET');
    assert.equal(allowed.headers?.['access-control-allow-credentials'], 'true');
    assert.equal(allowed.headers?.['vary'], VARY);

    const refused: { headers?: Record<string, string> } = {};
    await t.s3.send(
      withHeaders(
        new ListObjectsV2Command({ Bucket: bucket }),
        { origin: 'https://evil.example.com' },
        refused,
      ),
    );
    assert.ok(refused.headers);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);

    // Errors carry them too, so a browser can read why a request failed.
    const anonymous = await fetch(`${t.endpoint}/${bucket}?list-type=2`, {
      headers: { origin: 'https://cdn.example.org' },
    });
    assert.equal(anonymous.status, 403);
    assert.equal(anonymous.headers.get('access-control-allow-origin'), 'https://cdn.example.org');
    await anonymous.body?.cancel();
  });
});
