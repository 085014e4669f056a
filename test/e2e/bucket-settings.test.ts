/**
 * Bucket settings end to end through the real S3 client: versioning
 * configuration and bucket tagging, and that bad input changes nothing.
 */
import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type BucketVersioningStatus,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error, withBody, withoutChecksum } from './sdk-helpers.js';

describe('bucket settings', () => {
  let t: TestStrata;
  before(async () => {
    t = await startStrata();
  });
  after(() => t.close());

  describe('versioning', () => {
    it('is empty until set, then Enabled, then Suspended', async () => {
      const name = bucketName();
      await t.s3.send(new CreateBucketCommand({ Bucket: name }));
      assert.equal((await t.s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, undefined);
      for (const status of ['Enabled', 'Suspended', 'Enabled'] as const) {
        const put = await t.s3.send(
          new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: status } }),
        );
        assert.equal(put.$metadata.httpStatusCode, 200);
        assert.equal((await t.s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, status);
      }
    });

    const bad: Array<{
      name: string;
      config?: { Status?: string; MFADelete?: string };
      body?: string;
      code: string;
    }> = [
      {
        name: 'Status Disabled',
        config: { Status: 'Disabled' },
        code: 'IllegalVersioningConfigurationException',
      },
      {
        name: 'Status enabled (lower case)',
        config: { Status: 'enabled' },
        code: 'IllegalVersioningConfigurationException',
      },
      { name: 'no Status', config: {}, code: 'IllegalVersioningConfigurationException' },
      {
        name: 'MfaDelete Enabled',
        config: { Status: 'Enabled', MFADelete: 'Enabled' },
        code: 'IllegalVersioningConfigurationException',
      },
      { name: 'a body that is not XML', body: '<VersioningConfiguration><Status>', code: 'MalformedXML' },
      {
        name: 'another root element',
        body: '<Versioning><Status>Enabled</Status></Versioning>',
        code: 'MalformedXML',
      },
    ];
    for (const c of bad) {
      it(`refuses ${c.name} with ${c.code} and changes nothing`, async () => {
        const name = bucketName();
        await t.s3.send(new CreateBucketCommand({ Bucket: name }));
        const cmd = new PutBucketVersioningCommand({
          Bucket: name,
          VersioningConfiguration: (c.config ?? { Status: 'Enabled' }) as { Status?: BucketVersioningStatus },
        });
        const err = await s3Error(t.s3.send(c.body === undefined ? cmd : withBody(cmd, c.body)));
        assert.deepEqual([err.code, err.status], [c.code, 400]);
        assert.equal((await t.s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, undefined);
      });
    }
  });

  describe('tagging', () => {
    it('has no tag set until one is put, returns it, and deletes it', async () => {
      const name = bucketName();
      await t.s3.send(new CreateBucketCommand({ Bucket: name }));
      const none = await s3Error(t.s3.send(new GetBucketTaggingCommand({ Bucket: name })));
      assert.deepEqual([none.code, none.status], ['NoSuchTagSet', 404]);

      const TagSet = [
        { Key: 'team', Value: 'storage' },
        { Key: 'cost center', Value: '' },
        { Key: 'é/ü:+=.-_@', Value: 'x'.repeat(256) },
      ];
      const put = await t.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet } }));
      assert.equal(put.$metadata.httpStatusCode, 204);
      assert.deepEqual((await t.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, TagSet);

      const replaced = [{ Key: 'only', Value: 'one' }];
      await t.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: replaced } }));
      assert.deepEqual((await t.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, replaced);

      const del = await t.s3.send(new DeleteBucketTaggingCommand({ Bucket: name }));
      assert.equal(del.$metadata.httpStatusCode, 204);
      assert.equal(
        (await s3Error(t.s3.send(new GetBucketTaggingCommand({ Bucket: name })))).code,
        'NoSuchTagSet',
      );
      assert.equal(
        (await t.s3.send(new DeleteBucketTaggingCommand({ Bucket: name }))).$metadata.httpStatusCode,
        204,
      );
    });

    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    const bad: Array<{ name: string; tags: Array<{ Key: string; Value: string }>; code: string }> = [
      { name: '51 tags', tags: many(51), code: 'BadRequest' },
      {
        name: 'a repeated key',
        tags: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
        code: 'InvalidTag',
      },
      { name: 'a 129-character key', tags: [{ Key: 'k'.repeat(129), Value: '' }], code: 'InvalidTag' },
      { name: 'a 257-character value', tags: [{ Key: 'k', Value: 'v'.repeat(257) }], code: 'InvalidTag' },
      { name: 'an empty key', tags: [{ Key: '', Value: 'v' }], code: 'InvalidTag' },
    ];
    for (const c of bad) {
      it(`refuses ${c.name} with ${c.code} and keeps the old tags`, async () => {
        const name = bucketName();
        await t.s3.send(new CreateBucketCommand({ Bucket: name }));
        const kept = [{ Key: 'keep', Value: 'me' }];
        await t.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: kept } }));
        const err = await s3Error(
          t.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: c.tags } })),
        );
        assert.deepEqual([err.code, err.status], [c.code, 400]);
        assert.deepEqual((await t.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, kept);
      });
    }

    it('accepts exactly 50 tags', async () => {
      const name = bucketName();
      await t.s3.send(new CreateBucketCommand({ Bucket: name }));
      await t.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: many(50) } }));
      assert.equal((await t.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet?.length, 50);
    });

    it('refuses a tagging body that is not XML with MalformedXML', async () => {
      const name = bucketName();
      await t.s3.send(new CreateBucketCommand({ Bucket: name }));
      const cmd = new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [] } });
      const err = await s3Error(t.s3.send(withBody(cmd, '<Tagging><TagSet><Tag>')));
      assert.deepEqual([err.code, err.status], ['MalformedXML', 400]);
    });
  });

  it('refuses PutBucketVersioning and PutBucketTagging bodies without Content-MD5 or a checksum', async () => {
    const name = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    const attempts = [
      () =>
        t.s3.send(
          withoutChecksum(
            new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
          ),
        ),
      () =>
        t.s3.send(
          withoutChecksum(
            new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
          ),
        ),
    ];
    for (const send of attempts) {
      const err = await s3Error(send());
      assert.deepEqual([err.code, err.status], ['InvalidRequest', 400]);
    }
    assert.equal((await t.s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, undefined);
    assert.equal(
      (await s3Error(t.s3.send(new GetBucketTaggingCommand({ Bucket: name })))).code,
      'NoSuchTagSet',
    );
  });
});
