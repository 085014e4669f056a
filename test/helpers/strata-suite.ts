/**
 * The set-up most end-to-end describe blocks share, registered with one call
 * inside the block: a Strata node started before its tests and closed after
 * them, and buckets made for the tests that are emptied (every version and
 * delete marker) and deleted after each test or after the block.
 *
 * The node exists only once the block's `before` hooks run, so `strata` and
 * `s3` are read inside hooks and tests, not while the block is being declared.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { bodyText, emptyAndDeleteBucket } from './object-kit.js';
import { bucketName, startStrata, type TestStrata } from './strata.js';

export interface StrataSuiteOptions {
  /** Prefix of the names newBucket gives (`${prefix}-<uuid>`; 'bkt' by default). */
  readonly bucketPrefix?: string;
  /** When the buckets made are emptied and deleted: after the block (default) or after each test. */
  readonly cleanup?: 'after' | 'afterEach';
}

export interface StrataSuite {
  readonly strata: TestStrata;
  /** The root user's S3Client. */
  readonly s3: S3Client;
  /** Creates a bucket with a unique name, removed again by the suite's cleanup. */
  newBucket(): Promise<string>;
  /** PutObject with a small body ('hello world' unless given). */
  put(bucket: string, key: string, body?: string | Buffer): Promise<PutObjectCommandOutput>;
  /** The body of GetObject (of `versionId` if given) as UTF-8 text. */
  get(bucket: string, key: string, versionId?: string): Promise<string>;
}

/** Registers the suite's hooks in the calling describe block (or file). */
export function strataSuite(opts: StrataSuiteOptions = {}): StrataSuite {
  let strata: TestStrata | undefined;
  const buckets: string[] = [];
  const started = (): TestStrata => {
    assert.ok(strata, 'the Strata node is started by the before hook');
    return strata;
  };
  const removeBuckets = async () => {
    for (const b of buckets.splice(0)) await emptyAndDeleteBucket(started().s3, b);
  };

  before(async () => {
    strata = await startStrata();
  });
  if (opts.cleanup === 'afterEach') {
    afterEach(removeBuckets);
    after(() => started().close());
  } else {
    after(async () => {
      await removeBuckets();
      await started().close();
    });
  }

  return {
    get strata() {
      return started();
    },
    get s3() {
      return started().s3;
    },
    async newBucket() {
      const b = bucketName(opts.bucketPrefix);
      await started().s3.send(new CreateBucketCommand({ Bucket: b }));
      buckets.push(b);
      return b;
    },
    put: (Bucket, Key, Body = 'hello world') =>
      started().s3.send(new PutObjectCommand({ Bucket, Key, Body })),
    get: async (Bucket, Key, VersionId) =>
      bodyText((await started().s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body),
  };
}
