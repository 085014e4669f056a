import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isValidBucketName } from './bucket-name.js';
import { openFixture, type StoreFixture } from './store-fixture.js';

describe('bucket names', () => {
  const cases: [string, boolean][] = [
    ['abc', true],
    ['my.bucket-1', true],
    ['a'.repeat(63), true],
    ['ab', false],
    ['a'.repeat(64), false],
    ['Upper', false],
    ['under_score', false],
    ['-start', false],
    ['end-', false],
    ['two..dots', false],
    ['192.168.1.1', false],
    ['xn--bucket', false],
    ['bucket-s3alias', false],
    ['bucket--ol-s3', false],
  ];
  for (const [name, ok] of cases)
    it(`${name} is ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidBucketName(name), ok));
});

describe('buckets and users', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture();
  });
  after(() => f.cleanup());

  it('creates buckets with S3 conflicts and lists them per owner by name', () => {
    const alice = f.store.createUser('alice', 'ALICEKEY', 'alice-secret');
    for (const n of ['zeta', 'alpha', 'mid']) f.store.createBucket(n, f.owner, 'us-east-1');
    f.store.createBucket('alice-bkt', alice, 'us-east-1');
    assert.throws(() => f.store.createBucket('alpha', f.owner, 'us-east-1'), {
      code: 'BucketAlreadyOwnedByYou',
    });
    assert.throws(() => f.store.createBucket('alpha', alice, 'us-east-1'), { code: 'BucketAlreadyExists' });
    assert.throws(() => f.store.createBucket('Bad_Name', alice, 'us-east-1'), { code: 'InvalidBucketName' });
    assert.deepEqual(
      f.store.listBuckets(f.owner).map((b) => b.name),
      ['alpha', 'mid', 'zeta'],
    );
    assert.deepEqual(
      f.store.listBuckets(alice).map((b) => b.name),
      ['alice-bkt'],
    );
    assert.deepEqual(
      { ...f.store.getBucket('alpha'), createdAt: undefined },
      {
        name: 'alpha',
        ownerId: f.owner.id,
        ownerName: 'root',
        region: 'us-east-1',
        versioning: undefined,
        createdAt: undefined,
      },
    );
  });

  it('stores bucket tagging and CORS (undefined = none)', () => {
    f.store.createBucket('conf', f.owner, 'us-east-1');
    assert.equal(f.store.getBucketTagging('conf'), undefined);
    f.store.putBucketTagging('conf', [{ key: 'k', value: 'v' }]);
    assert.deepEqual(f.store.getBucketTagging('conf'), [{ key: 'k', value: 'v' }]);
    f.store.putBucketTagging('conf', undefined);
    assert.equal(f.store.getBucketTagging('conf'), undefined);
    const rule = {
      allowedMethods: ['GET'],
      allowedOrigins: ['*'],
      allowedHeaders: [],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 60,
    };
    f.store.putBucketCors('conf', [rule]);
    assert.deepEqual(f.store.getBucketCors('conf'), [rule]);
    assert.throws(() => f.store.getBucketCors('missing'), { code: 'NoSuchBucket' });
    assert.throws(() => f.store.setBucketVersioning('missing', 'Enabled'), { code: 'NoSuchBucket' });
  });

  it('updates the root keys but keeps its id (buckets keep their owner)', () => {
    const root = f.store.ensureRootUser('NEWROOTKEY', 'new-root-secret');
    assert.equal(root.id, f.owner.id);
    assert.equal(f.store.findUser('ROOTKEY'), undefined);
    assert.equal(f.store.findUser('NEWROOTKEY')?.secretKey, 'new-root-secret');
    assert.equal(f.store.getBucket('alpha')?.ownerId, root.id);
    assert.match(root.id, /^[0-9a-f]{64}$/);
  });

  it('refuses duplicate users and removing root; sees users added by another process', async () => {
    assert.throws(() => f.store.createUser('alice', 'OTHERKEY', 'secret-123'), /already exists/);
    assert.throws(() => f.store.createUser('bob', 'ALICEKEY', 'secret-123'), /already in use/);
    assert.throws(() => f.store.removeUser('root'), /root user cannot be removed/);
    const cli = await f.reopen(); // like `strata user add` while the server runs
    cli.createUser('carol', 'CAROLKEY', 'carol-secret');
    assert.equal(f.store.findUser('CAROLKEY')?.displayName, 'carol');
    assert.equal(f.store.removeUser('carol'), true);
    const alice = f.store.findUser('ALICEKEY')!;
    f.store.createBucket('alice-owned', alice, 'us-east-1');
    assert.throws(() => f.store.removeUser('alice'), /still owns 2 bucket\(s\) \(alice-bkt, alice-owned\)/);
    assert.equal(f.store.findUser('ALICEKEY')?.displayName, 'alice');
    f.store.deleteBucket('alice-owned');
    f.store.deleteBucket('alice-bkt');
    assert.equal(f.store.removeUser('ALICEKEY'), true);
    assert.equal(f.store.removeUser('nobody'), false);
    assert.deepEqual(
      f.store.listUsers().map((u) => u.displayName),
      ['root'],
    );
  });
});
