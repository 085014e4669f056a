import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuery, canonicalUri, decodeQueryComponent } from './uri-encoding.js';

describe('canonicalUri', () => {
  // What S3 signs for a path as sent: escapes normalized, nothing else changed.
  const cases: Array<[sent: string, canonical: string]> = [
    ['', '/'],
    ['/', '/'],
    ['/bucket/key', '/bucket/key'],
    ['/test-bucket/a%20b/a+b', '/test-bucket/a%20b/a%2Bb'],
    ['/test-bucket/%c3%bc/%E4%B8%AD', '/test-bucket/%C3%BC/%E4%B8%AD'],
    ["/test-bucket/!*'()~=&:@$,;", '/test-bucket/%21%2A%27%28%29~%3D%26%3A%40%24%2C%3B'],
    ['/test-bucket/%21%2A%27%28%29%7E%3D%26%3A', '/test-bucket/%21%2A%27%28%29~%3D%26%3A'],
    ['/test-bucket/100%25/100%', '/test-bucket/100%25/100%25'],
    ['/test-bucket/%zz/%4', '/test-bucket/%25zz/%254'],
    ['/test-bucket//a//b/', '/test-bucket//a//b/'],
    ['/test-bucket/./../x', '/test-bucket/./../x'],
    ['/b/%2F', '/b/%2F'],
    ['/b/\u00fc', '/b/%FC'],
    ['/b/\u1234', '/b/%E1%88%B4'],
  ];
  for (const [sent, canonical] of cases)
    it(`${JSON.stringify(sent)} → ${canonical}`, () => assert.equal(canonicalUri(sent), canonical));
});

describe('canonicalQuery', () => {
  const cases: Array<[sent: string, canonical: string]> = [
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1&a=&A=3', 'A=3&a=&a=1&a=2'],
    ['acl&b=', 'acl=&b='],
    ['lifecycle', 'lifecycle='],
    ['a=b+c&d=e%2Bf&g=%20', 'a=b%20c&d=e%2Bf&g=%20'],
    // Sorted by name first: "-" and "." sort below "=", so comparing whole pairs would differ.
    ['k=1&k-x=2&k.y=3&k0=4', 'k=1&k-x=2&k.y=3&k0=4'],
    ["k=%c3%bc~!*'()&l=a=b&m=a:b/c", 'k=%C3%BC~%21%2A%27%28%29&l=a%3Db&m=a%3Ab%2Fc'],
    ['&&a=1&', 'a=1'],
    ['prefix=a%2Fb&delimiter=%2F', 'delimiter=%2F&prefix=a%2Fb'],
  ];
  for (const [sent, canonical] of cases)
    it(`${JSON.stringify(sent)} → ${canonical}`, () => assert.equal(canonicalQuery(sent), canonical));

  it('drops parameters by decoded, lower-case name', () => {
    const q = 'X-Amz-Date=1&x-amz-SIGNATURE=abc&X%2DAmz%2DSignature=def&b=2';
    assert.equal(
      canonicalQuery(q, (n) => n === 'x-amz-signature'),
      'X-Amz-Date=1&b=2',
    );
  });
});

describe('decodeQueryComponent', () => {
  const cases: Array<[string, string]> = [
    ['abc', 'abc'],
    ['a+b', 'a b'],
    ['a%2Fb', 'a/b'],
    ['%E1%88%B4', '\u1234'],
    ['100%', '100%'],
  ];
  for (const [raw, decoded] of cases)
    it(`${raw} → ${decoded}`, () => assert.equal(decodeQueryComponent(raw), decoded));
});
