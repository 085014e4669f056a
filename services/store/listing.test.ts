import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 as seededRandom } from '../../test/helpers/seeded-random.js';
import { body, openFixture, type StoreFixture } from './store-fixture.js';

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const SEGMENTS = ['a', 'b', 'x-y', '\ue000', '\u{1f600}', 'é', 'z'];

function makeKeys(rand: () => number, n: number): string[] {
  const keys = new Set<string>();
  while (keys.size < n) {
    const depth = 1 + Math.floor(rand() * 3);
    keys.add(
      Array.from({ length: depth }, () => SEGMENTS[Math.floor(rand() * SEGMENTS.length)]).join('/') +
        (rand() < 0.3 ? '/' : ''),
    );
  }
  return [...keys];
}

/** Independent expectation: every entry (key or common prefix) of a full listing, in order. */
function expectedEntries(keys: readonly string[], prefix: string, delimiter: string | undefined): string[] {
  const out = new Set<string>();
  for (const k of [...keys].sort(byUtf8)) {
    if (!k.startsWith(prefix)) continue;
    const i = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    out.add(i >= 0 ? 'P:' + k.slice(0, i + (delimiter as string).length) : 'K:' + k);
  }
  return [...out].sort((a, b) => byUtf8(a.slice(2), b.slice(2)));
}

describe('listObjects pagination', () => {
  let f: StoreFixture;
  let live: string[];
  before(async () => {
    f = await openFixture();
    f.store.createBucket('list', f.owner, 'us-east-1');
    f.store.setBucketVersioning('list', 'Enabled');
    const rand = seededRandom(42);
    const keys = makeKeys(rand, 240);
    for (const k of keys) await f.store.putObject('list', k, body(k), {});
    // Keys whose latest version is a delete marker must not be listed.
    const deleted = keys.filter((_, i) => i % 7 === 0);
    for (const k of deleted) f.store.deleteObject('list', k);
    live = keys.filter((k) => !deleted.includes(k));
  });
  after(() => f.cleanup());

  const cases: { prefix: string; delimiter?: string }[] = [
    { prefix: '' },
    { prefix: '', delimiter: '/' },
    { prefix: 'a/' },
    { prefix: 'a/', delimiter: '/' },
    { prefix: '\ue000', delimiter: '/' },
    { prefix: 'b', delimiter: 'x' },
    { prefix: '', delimiter: '\u{1f600}' },
    { prefix: 'nothing-here/' },
  ];

  for (const c of cases) {
    it(`pages without repeats or gaps: prefix ${JSON.stringify(c.prefix)} delimiter ${JSON.stringify(c.delimiter)}`, () => {
      const want = expectedEntries(live, c.prefix, c.delimiter);
      const rand = seededRandom(want.length + 1);
      for (let round = 0; round < 5; round++) {
        const got: string[] = [];
        let afterKey: string | undefined;
        for (let pages = 0; pages < 1000; pages++) {
          const maxKeys = 1 + Math.floor(rand() * 17);
          const page = f.store.listObjects('list', {
            prefix: c.prefix,
            delimiter: c.delimiter,
            maxKeys,
            after: afterKey,
          });
          const entries = [
            ...page.objects.map((o) => 'K:' + o.key),
            ...page.commonPrefixes.map((p) => 'P:' + p),
          ].sort((a, b) => byUtf8(a.slice(2), b.slice(2)));
          assert.ok(entries.length <= maxKeys);
          if (page.isTruncated) assert.equal(entries.length, maxKeys, 'a truncated page is full');
          got.push(...entries);
          if (!page.isTruncated) break;
          assert.equal(page.nextAfter, (entries[entries.length - 1] as string).slice(2));
          afterKey = page.nextAfter;
        }
        assert.deepEqual(got, want);
      }
    });
  }

  it('maxKeys 0 returns nothing and is not truncated', () => {
    const page = f.store.listObjects('list', { maxKeys: 0 });
    assert.deepEqual([page.objects.length, page.commonPrefixes.length, page.isTruncated], [0, 0, false]);
  });

  it('lists only latest versions with their metadata', () => {
    const page = f.store.listObjects('list', { maxKeys: 1000 });
    for (const o of page.objects) {
      assert.equal(o.isLatest, true);
      assert.equal(o.isDeleteMarker, false);
      assert.equal(o.size, Buffer.byteLength(o.key));
    }
  });
});

describe('listObjectVersions pagination', () => {
  let f: StoreFixture;
  /** key → version ids, newest first */
  const history = new Map<string, string[]>();
  before(async () => {
    f = await openFixture();
    f.store.createBucket('vers', f.owner, 'us-east-1');
    const rand = seededRandom(9);
    const keys = makeKeys(rand, 60);
    // A null version from before versioning was enabled, then versions and markers.
    for (const k of keys.slice(0, 10)) {
      await f.store.putObject('vers', k, body('v0'), {});
      history.set(k, ['null']);
    }
    f.store.setBucketVersioning('vers', 'Enabled');
    for (const k of keys) {
      const n = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) {
        const id =
          rand() < 0.2
            ? f.store.deleteObject('vers', k).versionId
            : (await f.store.putObject('vers', k, body(`${k}${i}`), {})).versionId;
        history.set(k, [id as string, ...(history.get(k) ?? [])]);
      }
    }
  });
  after(() => f.cleanup());

  for (const c of [
    { prefix: '' },
    { prefix: '', delimiter: '/' },
    { prefix: 'a/' },
    { prefix: 'b/', delimiter: '/' },
  ] as const) {
    it(`pages versions newest first per key: prefix ${JSON.stringify(c.prefix)} delimiter ${JSON.stringify('delimiter' in c ? c.delimiter : undefined)}`, () => {
      const delimiter = 'delimiter' in c ? c.delimiter : undefined;
      const want: string[] = [];
      for (const e of expectedEntries([...history.keys()], c.prefix, delimiter)) {
        if (e.startsWith('P:')) want.push(e);
        else for (const id of history.get(e.slice(2)) ?? []) want.push(`${e}@${id}`);
      }
      const rand = seededRandom(3);
      const got: string[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const maxKeys = 1 + Math.floor(rand() * 9);
        const page = f.store.listObjectVersions('vers', {
          prefix: c.prefix,
          delimiter,
          maxKeys,
          keyMarker,
          versionIdMarker,
        });
        const entries = [
          ...page.versions.map((v) => `K:${v.key}@${v.versionId}`),
          ...page.commonPrefixes.map((p) => 'P:' + p),
        ];
        entries.sort((a, b) => want.indexOf(a) - want.indexOf(b));
        got.push(...entries);
        if (!page.isTruncated) break;
        assert.equal(entries.length, maxKeys);
        keyMarker = page.nextKeyMarker;
        versionIdMarker = page.nextVersionIdMarker;
      }
      assert.deepEqual(got, want);
    });
  }

  it('marks exactly the newest version of each key as latest', () => {
    const page = f.store.listObjectVersions('vers', { maxKeys: 10_000 });
    for (const [key, ids] of history) {
      const latest = page.versions.filter((v) => v.key === key && v.isLatest).map((v) => v.versionId);
      assert.deepEqual(latest, [ids[0]], key);
    }
  });
});

describe('listMultipartUploads pagination', () => {
  let f: StoreFixture;
  const want: string[] = [];
  before(async () => {
    f = await openFixture();
    f.store.createBucket('ups', f.owner, 'us-east-1');
    const keys = makeKeys(seededRandom(5), 30).sort(byUtf8);
    const ids = new Map<string, string[]>();
    for (let round = 0; round < 2; round++) {
      for (const k of keys) {
        const u = f.store.createMultipartUpload('ups', k, f.owner, {});
        ids.set(k, [...(ids.get(k) ?? []), u.uploadId]);
      }
    }
    for (const k of keys) for (const id of ids.get(k) ?? []) want.push(`${k}@${id}`);
  });
  after(() => f.cleanup());

  it('pages by key then initiation, with upload id markers', () => {
    const got: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    const rand = seededRandom(1);
    for (let pages = 0; pages < 1000; pages++) {
      const maxUploads = 1 + Math.floor(rand() * 5);
      const page = f.store.listMultipartUploads('ups', { maxUploads, keyMarker, uploadIdMarker });
      got.push(...page.uploads.map((u) => `${u.key}@${u.uploadId}`));
      if (!page.isTruncated) break;
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker;
    }
    assert.deepEqual(got, want);
  });

  it('rolls keys up into common prefixes', () => {
    const page = f.store.listMultipartUploads('ups', { delimiter: '/', maxUploads: 1000 });
    const wantPrefixes = expectedEntries(
      want.map((w) => w.slice(0, w.lastIndexOf('@'))),
      '',
      '/',
    )
      .filter((e) => e.startsWith('P:'))
      .map((e) => e.slice(2));
    assert.deepEqual(page.commonPrefixes, wantPrefixes);
    for (const u of page.uploads) assert.ok(!u.key.includes('/'));
  });
});
