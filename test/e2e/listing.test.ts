/**
 * Listing end to end through the real S3 client: ListObjects (v1),
 * ListObjectsV2 with its paginator, and ListObjectVersions.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type EncodingType,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { s3Error } from './sdk-helpers.js';

/** What S3 must answer for keys, computed independently of the server: keys and rolled-up prefixes in order. */
function expected(keys: readonly string[], q: { prefix?: string; delimiter?: string; after?: string }) {
  const out = { keys: [] as string[], prefixes: [] as string[] };
  for (const key of [...keys].sort()) {
    if (q.prefix !== undefined && !key.startsWith(q.prefix)) continue;
    if (q.after !== undefined && key <= q.after) continue;
    const rest = key.slice(q.prefix?.length ?? 0);
    const cut = q.delimiter === undefined ? -1 : rest.indexOf(q.delimiter);
    if (cut < 0) {
      out.keys.push(key);
      continue;
    }
    const p = key.slice(0, (q.prefix?.length ?? 0) + cut + (q.delimiter?.length ?? 0));
    if (!out.prefixes.includes(p)) out.prefixes.push(p);
  }
  return out;
}

async function putAll(
  t: TestStrata,
  bucket: string,
  keys: readonly string[],
  concurrency = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('listing', () => {
  let t: TestStrata;
  const small = bucketName('list');
  const smallKeys = ['a', 'a/b', 'a/c/d', 'a/c/e', 'b c', 'b+c', 'd/e', 'd/f/g', 'photos/2024/x.jpg', 'z'];
  const big = bucketName('page');
  const bigKeys = Array.from({ length: 300 }, (_, i) =>
    i % 10 === 0
      ? `top-${String(i).padStart(3, '0')}`
      : `dir${i % 7}/sub${i % 3}/file-${String(i).padStart(3, '0')}`,
  );

  before(async () => {
    t = await startStrata();
    await t.s3.send(new CreateBucketCommand({ Bucket: small }));
    await t.s3.send(new CreateBucketCommand({ Bucket: big }));
    await putAll(t, small, smallKeys);
    await putAll(t, big, bigKeys);
  });
  after(() => t.close());

  const cases: Array<{ name: string; prefix?: string; delimiter?: string; after?: string }> = [
    { name: 'everything' },
    { name: 'a prefix', prefix: 'a' },
    { name: 'a delimiter', delimiter: '/' },
    { name: 'a prefix and a delimiter', prefix: 'a/', delimiter: '/' },
    { name: 'a prefix matching nothing', prefix: 'nothing' },
    { name: 'a multi-character delimiter', delimiter: '/2' },
    { name: 'a start position', after: 'b c' },
    { name: 'a start position inside a rolled-up prefix', after: 'a/b', delimiter: '/' },
  ];
  for (const c of cases) {
    it(`ListObjectsV2 with ${c.name}`, async () => {
      const out = await t.s3.send(
        new ListObjectsV2Command({
          Bucket: small,
          Prefix: c.prefix,
          Delimiter: c.delimiter,
          StartAfter: c.after,
        }),
      );
      const want = expected(smallKeys, c);
      assert.deepEqual(
        (out.Contents ?? []).map((o) => o.Key),
        want.keys,
      );
      assert.deepEqual(
        (out.CommonPrefixes ?? []).map((p) => p.Prefix),
        want.prefixes,
      );
      assert.equal(out.KeyCount, want.keys.length + want.prefixes.length);
      assert.equal(out.IsTruncated, false);
      assert.equal(out.Name, small);
      assert.equal(out.Prefix ?? '', c.prefix ?? '');
      assert.equal(out.Delimiter, c.delimiter);
      assert.equal(out.StartAfter, c.after);
      assert.equal(out.MaxKeys, 1000);
    });

    it(`ListObjects (v1) with ${c.name}`, async () => {
      const out = await t.s3.send(
        new ListObjectsCommand({ Bucket: small, Prefix: c.prefix, Delimiter: c.delimiter, Marker: c.after }),
      );
      const want = expected(smallKeys, c);
      assert.deepEqual(
        (out.Contents ?? []).map((o) => o.Key),
        want.keys,
      );
      assert.deepEqual(
        (out.CommonPrefixes ?? []).map((p) => p.Prefix),
        want.prefixes,
      );
      assert.equal(out.IsTruncated, false);
      assert.equal(out.Marker ?? '', c.after ?? '');
      assert.equal(out.NextMarker, undefined);
    });
  }

  it('describes each object: size, ETag, date, storage class, and Owner (v1 always, v2 on fetch-owner)', async () => {
    const v2 = await t.s3.send(new ListObjectsV2Command({ Bucket: small, Prefix: 'z' }));
    const obj = v2.Contents?.[0];
    assert.ok(obj);
    assert.equal(obj.Key, 'z');
    assert.equal(obj.Size, Buffer.byteLength('body of z'));
    assert.match(obj.ETag ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(obj.StorageClass, 'STANDARD');
    assert.ok(
      obj.LastModified instanceof Date && Math.abs(obj.LastModified.getTime() - Date.now()) < 120_000,
    );
    assert.equal(obj.Owner, undefined);
    const owned = await t.s3.send(new ListObjectsV2Command({ Bucket: small, Prefix: 'z', FetchOwner: true }));
    assert.deepEqual(owned.Contents?.[0]?.Owner, {
      ID: t.node.root.id,
      DisplayName: t.node.root.displayName,
    });
    const v1 = await t.s3.send(new ListObjectsCommand({ Bucket: small, Prefix: 'z' }));
    assert.deepEqual(v1.Contents?.[0]?.Owner, { ID: t.node.root.id, DisplayName: t.node.root.displayName });
    assert.equal(v1.Contents?.[0]?.ETag, obj.ETag);
  });

  it('pages ListObjectsV2 with the paginator (page size 7, delimiter) without gaps or repeats', async () => {
    for (const q of [{ delimiter: '/' }, {}, { prefix: 'dir3/', delimiter: '/' }, { prefix: 'dir2/sub1/' }]) {
      const keys: string[] = [];
      const prefixes: string[] = [];
      let pages = 0;
      for await (const page of paginateListObjectsV2(
        { client: t.s3, pageSize: 7 },
        { Bucket: big, Prefix: q.prefix, Delimiter: q.delimiter },
      )) {
        pages++;
        const n = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
        assert.ok(n <= 7, `page of ${n}`);
        assert.equal(page.KeyCount, n);
        keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
        prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
      }
      const want = expected(bigKeys, q);
      assert.deepEqual(keys, want.keys, JSON.stringify(q));
      assert.deepEqual(prefixes, want.prefixes, JSON.stringify(q));
      assert.equal(pages, Math.max(1, Math.ceil((want.keys.length + want.prefixes.length) / 7)));
    }
  });

  it('pages ListObjects (v1) by NextMarker with a delimiter and by the last key without one', async () => {
    for (const delimiter of ['/', undefined]) {
      const keys: string[] = [];
      const prefixes: string[] = [];
      let marker: string | undefined;
      for (let i = 0; i < 200; i++) {
        const page = await t.s3.send(
          new ListObjectsCommand({ Bucket: big, Delimiter: delimiter, Marker: marker, MaxKeys: 9 }),
        );
        keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
        prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
        if (!page.IsTruncated) break;
        if (delimiter !== undefined)
          assert.ok(page.NextMarker, 'NextMarker is sent when a delimiter was given');
        else assert.equal(page.NextMarker, undefined);
        marker = page.NextMarker ?? page.Contents?.at(-1)?.Key;
      }
      assert.deepEqual({ keys, prefixes }, expected(bigKeys, { delimiter }));
    }
  });

  const maxKeysCases: Array<{ maxKeys: number; echoed: number; count: number; truncated: boolean }> = [
    { maxKeys: 0, echoed: 0, count: 0, truncated: false },
    { maxKeys: 3, echoed: 3, count: 3, truncated: true },
    { maxKeys: 5000, echoed: 1000, count: 300, truncated: false },
  ];
  for (const c of maxKeysCases) {
    it(`max-keys ${c.maxKeys} returns ${c.count} keys`, async () => {
      const out = await t.s3.send(new ListObjectsV2Command({ Bucket: big, MaxKeys: c.maxKeys }));
      assert.equal(out.MaxKeys, c.echoed);
      assert.equal(out.KeyCount, c.count);
      assert.equal(out.Contents?.length ?? 0, c.count);
      assert.equal(out.IsTruncated, c.truncated);
      assert.equal(out.NextContinuationToken !== undefined, c.truncated);
    });
  }

  const badArgs: Array<{ name: string; send: () => Promise<unknown> }> = [
    {
      name: 'a negative max-keys (v2)',
      send: () => t.s3.send(new ListObjectsV2Command({ Bucket: small, MaxKeys: -1 })),
    },
    {
      name: 'a negative max-keys (v1)',
      send: () => t.s3.send(new ListObjectsCommand({ Bucket: small, MaxKeys: -1 })),
    },
    {
      name: 'a non-numeric max-keys',
      send: () => t.s3.send(new ListObjectsV2Command({ Bucket: small, MaxKeys: 'ten' as unknown as number })),
    },
    {
      name: 'a garbage continuation token',
      send: () => t.s3.send(new ListObjectsV2Command({ Bucket: small, ContinuationToken: 'not-a-token' })),
    },
    {
      name: 'encoding-type other than url',
      send: () =>
        t.s3.send(new ListObjectsV2Command({ Bucket: small, EncodingType: 'base64' as EncodingType })),
    },
    {
      name: 'a version-id-marker without a key-marker',
      send: () => t.s3.send(new ListObjectVersionsCommand({ Bucket: small, VersionIdMarker: 'null' })),
    },
  ];
  for (const c of badArgs) {
    it(`refuses ${c.name} with InvalidArgument`, async () => {
      const err = await s3Error(c.send());
      assert.deepEqual([err.code, err.status], ['InvalidArgument', 400]);
    });
  }

  it('URL-encodes names with encoding-type=url (keys, prefixes, markers, delimiter)', async () => {
    const bucket = bucketName('enc');
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putAll(t, bucket, ['sp ace/a&b.txt', 'sp ace/x', 'tab\tkey', 'ümlaut']);
    const v2 = await t.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Delimiter: '/', StartAfter: 'a b' }),
    );
    assert.equal(v2.EncodingType, 'url');
    assert.equal(v2.StartAfter, 'a+b');
    assert.deepEqual(
      v2.CommonPrefixes?.map((p) => p.Prefix),
      ['sp+ace/'],
    );
    assert.deepEqual(
      v2.Contents?.map((o) => o.Key),
      ['tab%09key', '%C3%BCmlaut'],
    );
    const v1 = await t.s3.send(
      new ListObjectsCommand({ Bucket: bucket, EncodingType: 'url', Prefix: 'sp ace/' }),
    );
    assert.equal(v1.Prefix, 'sp+ace/');
    assert.deepEqual(
      v1.Contents?.map((o) => o.Key),
      ['sp+ace/a%26b.txt', 'sp+ace/x'],
    );
    const plain = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'sp ace/' }));
    assert.deepEqual(
      plain.Contents?.map((o) => o.Key),
      ['sp ace/a&b.txt', 'sp ace/x'],
    );
  });

  describe('ListObjectVersions', () => {
    const bucket = bucketName('vers');
    before(async () => {
      await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await t.s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      for (const [key, n] of [
        ['k1', 3],
        ['k2', 1],
        ['p/k3', 2],
      ] as const) {
        for (let i = 0; i < n; i++)
          await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${key}#${i}` }));
      }
      await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k2' }));
    });

    type Entry = { key: string; versionId: string; isLatest: boolean; marker: boolean };
    /** Versions and delete markers in S3's order: by key, the latest first (the SDK splits the two apart). */
    function entries(out: ListObjectVersionsCommandOutput): Entry[] {
      const all: Entry[] = [
        ...(out.Versions ?? []).map((v) => ({
          key: v.Key ?? '',
          versionId: v.VersionId ?? '',
          isLatest: v.IsLatest === true,
          marker: false,
        })),
        ...(out.DeleteMarkers ?? []).map((d) => ({
          key: d.Key ?? '',
          versionId: d.VersionId ?? '',
          isLatest: d.IsLatest === true,
          marker: true,
        })),
      ];
      const rank = (e: Entry) => (e.isLatest ? 0 : 1);
      return all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : rank(a) - rank(b)));
    }

    it('lists every version and delete marker with IsLatest', async () => {
      const out = await t.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      assert.equal(out.Name, bucket);
      assert.equal(out.IsTruncated, false);
      assert.equal(out.Versions?.length, 6);
      assert.equal(out.DeleteMarkers?.length, 1);
      const marker = out.DeleteMarkers?.[0];
      assert.deepEqual([marker?.Key, marker?.IsLatest], ['k2', true]);
      assert.deepEqual(marker?.Owner, { ID: t.node.root.id, DisplayName: t.node.root.displayName });
      const byKey = (k: string) => (out.Versions ?? []).filter((v) => v.Key === k);
      assert.deepEqual(
        byKey('k1').map((v) => v.IsLatest),
        [true, false, false],
      );
      assert.deepEqual(
        byKey('k2').map((v) => v.IsLatest),
        [false],
      );
      assert.equal(new Set(byKey('k1').map((v) => v.VersionId)).size, 3);
      for (const v of out.Versions ?? []) {
        assert.match(v.ETag ?? '', /^"[0-9a-f]{32}"$/);
        assert.equal(v.StorageClass, 'STANDARD');
        assert.ok((v.Size ?? 0) > 0);
      }
    });

    it('rolls up prefixes and pages by key and version-id markers one entry at a time', async () => {
      const rolled = await t.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/' }));
      assert.deepEqual(
        rolled.CommonPrefixes?.map((p) => p.Prefix),
        ['p/'],
      );
      assert.equal(
        rolled.Versions?.some((v) => v.Key === 'p/k3'),
        false,
      );

      const whole = entries(await t.s3.send(new ListObjectVersionsCommand({ Bucket: bucket })));
      const paged: Entry[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await t.s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            MaxKeys: 1,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
          }),
        );
        assert.equal(page.KeyMarker ?? '', keyMarker ?? '');
        paged.push(...entries(page));
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
        assert.ok(keyMarker, 'a truncated page names where to go on');
      }
      assert.deepEqual(paged, whole);
    });
  });
});
