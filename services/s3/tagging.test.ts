import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../shared/errors.js';
import {
  BUCKET_TAG_LIMIT,
  OBJECT_TAG_LIMIT,
  parseTaggingHeader,
  parseTaggingXml,
  renderTagging,
} from './tagging.js';

function xml(tags: ReadonlyArray<readonly [string, string]>): string {
  const items = tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('\n  ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n <TagSet>\n  ${items}\n </TagSet>\n</Tagging>`;
}

function many(n: number): Array<[string, string]> {
  return Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]);
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof S3Error, `expected S3Error, got ${String(e)}`);
    return `${e.code}: ${e.message}`;
  }
  return 'ok';
}

const object = { maxTags: OBJECT_TAG_LIMIT };
const bucket = { maxTags: BUCKET_TAG_LIMIT };

describe('parseTaggingXml', () => {
  it('parses tags in order, keeping empty values and whitespace inside values', () => {
    const tags = parseTaggingXml(
      xml([
        ['a', '1'],
        ['b c', ''],
        ['d', ' x '],
      ]),
      object,
    );
    assert.deepEqual(tags, [
      { key: 'a', value: '1' },
      { key: 'b c', value: '' },
      { key: 'd', value: ' x ' },
    ]);
  });

  it('accepts an empty TagSet', () => {
    for (const body of ['<Tagging><TagSet/></Tagging>', '<Tagging><TagSet>\n</TagSet></Tagging>']) {
      assert.deepEqual(parseTaggingXml(body, object), []);
    }
  });

  const cases: Array<{ name: string; body: string; limits?: { maxTags: number }; want: RegExp }> = [
    { name: 'not XML', body: 'nope', want: /^MalformedXML/ },
    { name: 'wrong root', body: '<Tags><TagSet/></Tags>', want: /^MalformedXML/ },
    { name: 'no TagSet', body: '<Tagging></Tagging>', want: /^MalformedXML/ },
    {
      name: 'Tag without Value',
      body: '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>',
      want: /^MalformedXML/,
    },
    {
      name: 'Tag without Key',
      body: '<Tagging><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>',
      want: /^MalformedXML/,
    },
    {
      name: '11 object tags',
      body: xml(many(11)),
      want: /^BadRequest: Object tags cannot be greater than 10$/,
    },
    {
      name: '51 bucket tags',
      body: xml(many(51)),
      limits: bucket,
      want: /^BadRequest: Bucket tag count cannot be greater than 50$/,
    },
    {
      name: 'duplicate keys',
      body: xml([
        ['a', '1'],
        ['a', '2'],
      ]),
      want: /^InvalidTag: Cannot provide multiple Tags with the same key$/,
    },
    {
      name: 'empty key',
      body: xml([['', '1']]),
      want: /^InvalidTag: The TagKey you have provided is invalid$/,
    },
    {
      name: 'key of 129 chars',
      body: xml([['k'.repeat(129), '1']]),
      want: /^InvalidTag: The TagKey .* too long/,
    },
    {
      name: 'value of 257 chars',
      body: xml([['k', 'v'.repeat(257)]]),
      want: /^InvalidTag: The TagValue .* too long/,
    },
    { name: 'key with a forbidden character', body: xml([['a#b', '1']]), want: /^InvalidTag/ },
    { name: 'aws: prefix', body: xml([['aws:x', '1']]), want: /^InvalidTag/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      assert.match(
        code(() => parseTaggingXml(c.body, c.limits ?? object)),
        c.want,
      );
    });
  }

  it('accepts exactly the limits', () => {
    assert.equal(parseTaggingXml(xml(many(10)), object).length, 10);
    assert.equal(parseTaggingXml(xml(many(50)), bucket).length, 50);
    assert.equal(parseTaggingXml(xml([['k'.repeat(128), 'v'.repeat(256)]]), object).length, 1);
    assert.equal(parseTaggingXml(xml([['é'.repeat(128), 'ü'.repeat(256)]]), object).length, 1);
  });
});

describe('parseTaggingHeader', () => {
  const cases: Array<{ header: string; want: Array<{ key: string; value: string }> }> = [
    { header: '', want: [] },
    {
      header: 'a=1&b=2',
      want: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    },
    { header: 'a', want: [{ key: 'a', value: '' }] },
    { header: 'a=', want: [{ key: 'a', value: '' }] },
    {
      header: 'a%20b=c+d&e=f%3Dg',
      want: [
        { key: 'a b', value: 'c d' },
        { key: 'e', value: 'f=g' },
      ],
    },
  ];
  for (const c of cases) {
    it(`parses "${c.header}"`, () => assert.deepEqual(parseTaggingHeader(c.header, object), c.want));
  }

  const bad: Array<{ header: string; want: RegExp }> = [
    { header: 'a=1&a=2', want: /^InvalidArgument/ },
    { header: 'a=%E0%A4%A', want: /^InvalidArgument/ },
    {
      header: many(11)
        .map(([k, v]) => `${k}=${v}`)
        .join('&'),
      want: /^BadRequest: Object tags cannot be greater than 10$/,
    },
    { header: `${'k'.repeat(129)}=1`, want: /^InvalidTag/ },
  ];
  for (const c of bad) {
    it(`refuses "${c.header.slice(0, 30)}"`, () =>
      assert.match(
        code(() => parseTaggingHeader(c.header, object)),
        c.want,
      ));
  }
});

describe('renderTagging', () => {
  it('round-trips through the parser, escaping XML characters', () => {
    const tags = [
      { key: 'a', value: '1' },
      { key: 'b', value: '' },
    ];
    const text = renderTagging(tags);
    assert.match(
      text,
      /^<\?xml version="1.0" encoding="UTF-8"\?><Tagging xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><TagSet><Tag><Key>a<\/Key>/,
    );
    assert.deepEqual(parseTaggingXml(text, object), tags);
    assert.equal(renderTagging([]).includes('<TagSet></TagSet>'), true);
  });
});
