/**
 * Bucket operations end to end, through the real S3 client: create, head,
 * list, delete, location, and who may use whose bucket.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error, withBody } from './sdk-helpers.js';

function newUser(t: TestStrata): { s3: S3Client; id: string } {
  const ak = `AK${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`;
  const sk = `sk-${randomUUID()}`;
  const user = t.node.store.createUser(`user-${randomUUID().slice(0, 8)}`, ak, sk);
  return { s3: t.client(ak, sk), id: user.id };
}

describe('buckets', () => {
  let t: TestStrata;
  let other: { s3: S3Client; id: string };
  before(async () => {
    t = await startStrata();
    other = newUser(t);
  });
  after(() => t.close());

  it('creates a bucket with a Location header, lists it with its owner, heads and deletes it', async () => {
    const name = bucketName();
    const created = await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    assert.equal(created.$metadata.httpStatusCode, 200);
    assert.equal(created.Location, `/${name}`);

    const listed = await t.s3.send(new ListBucketsCommand({}));
    assert.equal(listed.Owner?.ID, t.node.root.id);
    assert.equal(listed.Owner?.DisplayName, t.node.root.displayName);
    const entry = listed.Buckets?.find((b) => b.Name === name);
    assert.ok(entry, 'the new bucket is listed');
    assert.ok(
      entry.CreationDate instanceof Date && Math.abs(entry.CreationDate.getTime() - Date.now()) < 60_000,
    );

    const head = await t.s3.send(new HeadBucketCommand({ Bucket: name }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    assert.equal(head.BucketRegion, 'us-east-1');

    const deleted = await t.s3.send(new DeleteBucketCommand({ Bucket: name }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const gone = await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: name })));
    assert.equal(gone.status, 404);
    const listedAfter = await t.s3.send(new ListBucketsCommand({}));
    assert.equal(
      listedAfter.Buckets?.some((b) => b.Name === name),
      false,
    );
  });

  it('lists only the caller’s buckets', async () => {
    const mine = bucketName();
    const theirs = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: mine }));
    await other.s3.send(new CreateBucketCommand({ Bucket: theirs }));
    const rootNames = (await t.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    const otherList = await other.s3.send(new ListBucketsCommand({}));
    assert.ok(rootNames.includes(mine) && !rootNames.includes(theirs));
    assert.deepEqual(
      otherList.Buckets?.map((b) => b.Name),
      [theirs],
    );
    assert.equal(otherList.Owner?.ID, other.id);
  });

  it('pages ListBuckets with max-buckets, continuation token and prefix', async () => {
    const prefix = `pg-${randomUUID().slice(0, 8)}`;
    const names = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}-${s}`);
    for (const name of names) await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.s3.send(
        new ListBucketsCommand({ MaxBuckets: 2, Prefix: prefix, ContinuationToken: token }),
      );
      assert.equal(page.Prefix, prefix);
      seen.push(...(page.Buckets ?? []).map((b) => b.Name ?? ''));
      token = page.ContinuationToken;
      pages++;
    } while (token !== undefined && pages < 10);
    assert.deepEqual(seen, names);
    assert.equal(pages, 3);
    const bad = await s3Error(t.s3.send(new ListBucketsCommand({ ContinuationToken: 'garbage!' })));
    assert.equal(bad.code, 'InvalidArgument');
  });

  const invalidNames = [
    'ab',
    'a'.repeat(64),
    'Upper-Case',
    'under_score',
    '-leading',
    'trailing-',
    'double..dot',
    '192.168.5.4',
  ];
  for (const name of invalidNames) {
    it(`refuses the bucket name "${name}" with InvalidBucketName`, async () => {
      const err = await s3Error(t.s3.send(new CreateBucketCommand({ Bucket: name })));
      assert.deepEqual([err.code, err.status], ['InvalidBucketName', 400]);
    });
  }

  it('answers BucketAlreadyOwnedByYou to the owner and BucketAlreadyExists to anyone else', async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const again = await s3Error(t.s3.send(new CreateBucketCommand({ Bucket: name })));
    assert.deepEqual([again.code, again.status], ['BucketAlreadyOwnedByYou', 409]);
    const taken = await s3Error(other.s3.send(new CreateBucketCommand({ Bucket: name })));
    assert.deepEqual([taken.code, taken.status], ['BucketAlreadyExists', 409]);
  });

  const constraints: Array<{ lc: string; code?: string }> = [
    { lc: 'us-east-1' },
    { lc: 'eu-west-1', code: 'IllegalLocationConstraintException' },
    { lc: 'not a region', code: 'InvalidLocationConstraint' },
  ];
  for (const c of constraints) {
    it(`CreateBucket with LocationConstraint ${c.lc} → ${c.code ?? 'created'}`, async () => {
      const name = bucketName();
      const send = t.s3.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: c.lc as BucketLocationConstraint },
        }),
      );
      if (c.code === undefined) {
        await send;
        const loc = await t.s3.send(new GetBucketLocationCommand({ Bucket: name }));
        assert.equal(
          loc.LocationConstraint ?? '',
          '',
          'us-east-1 is reported as an empty LocationConstraint',
        );
        return;
      }
      const err = await s3Error(send);
      assert.deepEqual([err.code, err.status], [c.code, 400]);
      assert.equal((await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: name })))).status, 404);
    });
  }

  it('refuses a CreateBucketConfiguration that is not XML with MalformedXML', async () => {
    const name = bucketName();
    const err = await s3Error(
      t.s3.send(withBody(new CreateBucketCommand({ Bucket: name }), '<CreateBucketConfiguration>')),
    );
    assert.deepEqual([err.code, err.status], ['MalformedXML', 400]);
    assert.equal((await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: name })))).status, 404);
  });

  it('refuses to delete a bucket that holds objects, and a bucket that does not exist', async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    await t.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    const full = await s3Error(t.s3.send(new DeleteBucketCommand({ Bucket: name })));
    assert.deepEqual([full.code, full.status], ['BucketNotEmpty', 409]);
    assert.equal((await t.s3.send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode, 200);
    const missing = await s3Error(t.s3.send(new DeleteBucketCommand({ Bucket: bucketName() })));
    assert.deepEqual([missing.code, missing.status], ['NoSuchBucket', 404]);
  });

  it('keeps another user out of a bucket: 403 on HEAD, AccessDenied on everything else', async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const head = await s3Error(other.s3.send(new HeadBucketCommand({ Bucket: name })));
    assert.equal(head.status, 403);
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['ListObjectsV2', () => other.s3.send(new ListObjectsV2Command({ Bucket: name }))],
      ['PutObject', () => other.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }))],
      [
        'PutBucketTagging',
        () =>
          other.s3.send(
            new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
          ),
      ],
      ['GetBucketVersioning', () => other.s3.send(new GetBucketVersioningCommand({ Bucket: name }))],
      ['DeleteBucket', () => other.s3.send(new DeleteBucketCommand({ Bucket: name }))],
    ];
    for (const [op, send] of attempts) {
      const err = await s3Error(send());
      assert.deepEqual([op, err.code, err.status], [op, 'AccessDenied', 403]);
    }
    assert.equal((await t.s3.send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode, 200);
    assert.equal(
      (await s3Error(t.s3.send(new GetBucketTaggingCommand({ Bucket: name })))).code,
      'NoSuchTagSet',
    );
  });

  it('answers 404 NoSuchBucket for operations on a missing bucket', async () => {
    const name = bucketName();
    for (const send of [
      () => t.s3.send(new ListObjectsV2Command({ Bucket: name })),
      () => t.s3.send(new GetBucketVersioningCommand({ Bucket: name })),
      () => t.s3.send(new GetBucketLocationCommand({ Bucket: name })),
    ]) {
      const err = await s3Error(send());
      assert.deepEqual([err.code, err.status], ['NoSuchBucket', 404]);
    }
    assert.equal((await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: name })))).status, 404);
  });

  it('serves virtual-host-style requests (bucket.localhost)', async () => {
    // *.localhost may not resolve through the system resolver; RFC 6761 says it is loopback.
    const lookup = ((hostname: string, options: dns.LookupOptions, callback: (...a: unknown[]) => void) => {
      if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
        return;
      }
      dns.lookup(hostname, options, callback as never);
    }) as LookupFunction;
    const agent = new http.Agent({ keepAlive: false, lookup } as http.AgentOptions);
    const vhost = new S3Client({
      endpoint: `http://localhost:${t.port}`,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: { accessKeyId: t.accessKey, secretAccessKey: t.secretKey },
      requestHandler: { httpAgent: agent },
    });
    const hosts: string[] = [];
    vhost.middlewareStack.add(
      (next) => async (args) => {
        hosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    try {
      const name = bucketName();
      await vhost.send(new CreateBucketCommand({ Bucket: name }));
      await vhost.send(
        new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'via', Value: 'vhost' }] } }),
      );
      assert.deepEqual((await t.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, [
        { Key: 'via', Value: 'vhost' },
      ]);
      const listed = await vhost.send(new ListObjectsV2Command({ Bucket: name }));
      assert.equal(listed.Name, name);
      assert.equal(
        hosts.every((h) => h === `${name}.localhost`),
        true,
        `requests went to ${hosts.join(', ')}`,
      );
      assert.ok(hosts.length >= 3);
      await vhost.send(new DeleteBucketCommand({ Bucket: name }));
      assert.equal((await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: name })))).status, 404);
    } finally {
      vhost.destroy();
      agent.destroy();
    }
  });
});

describe('buckets in a region other than us-east-1', () => {
  let t: TestStrata;
  before(async () => {
    t = await startStrata({ STRATA_REGION: 'eu-central-1' });
  });
  after(() => t.close());

  it('needs the region as LocationConstraint and reports it back', async () => {
    const name = bucketName();
    // The SDK fills in its own region as LocationConstraint; send the bare request S3 refuses outside us-east-1.
    const missing = await s3Error(t.s3.send(withBody(new CreateBucketCommand({ Bucket: name }), '')));
    assert.deepEqual([missing.code, missing.status], ['IllegalLocationConstraintException', 400]);
    await t.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
      }),
    );
    assert.equal(
      (await t.s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint,
      'eu-central-1',
    );
    assert.equal((await t.s3.send(new HeadBucketCommand({ Bucket: name }))).BucketRegion, 'eu-central-1');
    const listed = await t.s3.send(new ListBucketsCommand({}));
    assert.equal(listed.Buckets?.find((b) => b.Name === name)?.BucketRegion, 'eu-central-1');
  });
});
