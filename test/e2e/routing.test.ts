import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error } from './sdk-helpers.js';

describe('sub-resources Strata does not serve yet', () => {
  let t: TestStrata;
  before(async () => {
    t = await startStrata();
  });
  after(async () => {
    await t.close();
  });

  it('PUT /bucket?policy is NotImplemented and does not create the bucket', async () => {
    const Bucket = bucketName();
    const err = await s3Error(t.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: '{}' })));
    assert.equal(err.status, 501);
    assert.equal(err.code, 'NotImplemented');
    const { Buckets } = await t.s3.send(new ListBucketsCommand({}));
    assert.equal(Buckets?.some((b) => b.Name === Bucket) ?? false, false);
  });

  it('GET /bucket?acl and PUT /bucket/key?acl are NotImplemented, not a listing or an overwrite', async () => {
    const Bucket = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket }));
    await t.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'kept' }));
    for (const cmd of [
      new GetBucketAclCommand({ Bucket }),
      new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'private' }),
    ]) {
      const err = await s3Error(t.s3.send(cmd as never));
      assert.equal(err.code, 'NotImplemented');
    }
    await t.s3.send(new HeadBucketCommand({ Bucket }));
    const got = await t.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    assert.equal(await got.Body?.transformToString(), 'kept');
  });
});
