import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeys, prefixSuccessor } from './key-order.js';
import { mulberry32 as seededRandom } from '../../test/helpers/seeded-random.js';
import { body, openFixture, type StoreFixture } from './store-fixture.js';

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

// Characters chosen where UTF-16 and UTF-8 orders disagree: U+E000..U+FFFF
// (private use, specials) sort BEFORE supplementary-plane characters in UTF-8
// but AFTER them (as surrogates D800-DFFF) in JS string comparison.
const TRICKY = [
  'a',
  'z',
  '\u00e9',
  '\ud7ff',
  '\ue000',
  '\uf8ff',
  '\ufffd',
  '\uffff',
  '\u{10000}',
  '\u{1f600}',
  '\u{10ffff}',
];

function randomKey(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 4);
  return Array.from({ length: n }, () => TRICKY[Math.floor(rand() * TRICKY.length)]).join('');
}

describe('key order', () => {
  it('compareKeys agrees with UTF-8 byte order and not with JS order', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const a = randomKey(rand);
      const b = randomKey(rand);
      assert.equal(
        Math.sign(compareKeys(a, b)),
        Math.sign(byUtf8(a, b)),
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      );
    }
    assert.ok('\u{1f600}' < '\ue000', 'JS orders the emoji first');
    assert.ok(compareKeys('\u{1f600}', '\ue000') > 0, 'UTF-8 orders it last');
  });

  it('prefixSuccessor bounds exactly the keys that start with the prefix', () => {
    const rand = seededRandom(11);
    const cases = ['a', 'a/', 'photos/2024/', '\ud7ff', '\uffff', 'x\u{10ffff}', '\u{1f600}'];
    for (const prefix of cases) {
      const next = prefixSuccessor(prefix);
      assert.ok(next !== undefined, prefix);
      assert.ok(byUtf8(prefix, next) < 0);
      for (let i = 0; i < 200; i++) {
        const k = prefix + randomKey(rand);
        assert.ok(byUtf8(k, next) < 0, `${JSON.stringify(k)} < successor of ${JSON.stringify(prefix)}`);
      }
    }
    assert.equal(prefixSuccessor('a/'), 'a0');
    assert.equal(prefixSuccessor('\ud7ff'), '\ue000');
    assert.equal(prefixSuccessor('x\u{10ffff}'), 'y');
    assert.equal(prefixSuccessor(''), undefined);
    assert.equal(prefixSuccessor('\u{10ffff}'), undefined);
  });
});

describe('listing order in the store (SQLite BINARY = UTF-8 bytes)', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture();
    f.store.createBucket('order', f.owner, 'us-east-1');
  });
  after(() => f.cleanup());

  it('lists keys in UTF-8 byte order, also with a prefix and page by page', async () => {
    const keys = [
      'p/a',
      'p/\ue000',
      'p/\ufffd',
      'p/\u{10000}',
      'p/\u{1f600}',
      'p/\uffff',
      'p/z',
      'q',
      '\u{1f600}',
      '\ue000',
    ];
    for (const k of keys) await f.store.putObject('order', k, body(k), {});
    const want = [...keys].sort(byUtf8);
    assert.notDeepEqual(want, [...keys].sort(), 'the test needs keys JS sorts differently');
    const all = f.store.listObjects('order', { maxKeys: 1000 }).objects.map((o) => o.key);
    assert.deepEqual(all, want);
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = f.store.listObjects('order', { prefix: 'p/', maxKeys: 2, after });
      paged.push(...page.objects.map((o) => o.key));
      if (!page.isTruncated) break;
      after = page.nextAfter;
    }
    assert.deepEqual(
      paged,
      want.filter((k) => k.startsWith('p/')),
    );
  });
});
