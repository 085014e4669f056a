import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, type StoreFixture } from './store-fixture.js';
import type { NotificationConfiguration } from './types.js';

const config: NotificationConfiguration = {
  rules: [
    {
      id: 'images',
      kind: 'Queue',
      arn: 'arn:strata:sqs::hook:webhook',
      events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
      filterRules: [
        { name: 'Prefix', value: 'images/' },
        { name: 'Suffix', value: '.jpg' },
      ],
    },
    {
      id: 'all',
      kind: 'Queue',
      arn: 'arn:strata:sqs::other:webhook',
      events: ['s3:ObjectTagging:*'],
      filterRules: [],
    },
  ],
};

describe('bucket notification configuration', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture();
  });
  after(() => f.cleanup());

  it('is empty until set, round-trips, survives a reopen and is cleared by an empty list', async () => {
    f.store.createBucket('notes', f.owner, 'us-east-1');
    assert.deepEqual(f.store.getBucketNotification('notes'), { rules: [] });
    f.store.putBucketNotification('notes', config);
    assert.deepEqual(f.store.getBucketNotification('notes'), config);
    const again = await f.reopen();
    assert.deepEqual(again.getBucketNotification('notes'), config);
    f.store.putBucketNotification('notes', { rules: [] });
    assert.deepEqual(f.store.getBucketNotification('notes'), { rules: [] });
  });

  it('goes away with its bucket', () => {
    f.store.createBucket('gone', f.owner, 'us-east-1');
    f.store.putBucketNotification('gone', config);
    f.store.deleteBucket('gone');
    f.store.createBucket('gone', f.owner, 'us-east-1');
    assert.deepEqual(f.store.getBucketNotification('gone'), { rules: [] });
  });

  it('answers NoSuchBucket for a bucket that does not exist', () => {
    assert.throws(() => f.store.getBucketNotification('nope'), { code: 'NoSuchBucket' });
    assert.throws(() => f.store.putBucketNotification('nope', config), { code: 'NoSuchBucket' });
  });
});
