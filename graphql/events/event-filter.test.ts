import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventNameMatcher } from './event-filter.js';

describe('eventNameMatcher', () => {
  const cases: [string[] | undefined, string, boolean][] = [
    [undefined, 'ObjectCreated:Put', true],
    [[], 'ObjectRemoved:Delete', true],
    [['s3:ObjectCreated:*'], 'ObjectCreated:Put', true],
    [['s3:ObjectCreated:*'], 'ObjectCreated:CompleteMultipartUpload', true],
    [['ObjectCreated:*'], 'ObjectCreated:Copy', true],
    [['s3:ObjectCreated:*'], 'ObjectRemoved:Delete', false],
    [['ObjectRemoved:Delete'], 'ObjectRemoved:Delete', true],
    [['s3:ObjectRemoved:Delete'], 'ObjectRemoved:DeleteMarkerCreated', false],
    [['s3:ObjectRemoved:Delete', 'ObjectTagging:*'], 'ObjectTagging:Put', true],
    [['*'], 'ObjectAccessed:Get', true],
    [['s3:*'], 'ObjectRestore:Completed', true],
  ];
  for (const [patterns, name, expected] of cases) {
    it(`${JSON.stringify(patterns)} ${expected ? 'matches' : 'does not match'} ${name}`, () => {
      assert.equal(eventNameMatcher(patterns)(name), expected);
    });
  }

  for (const bad of [
    's3:ObjectExploded:*',
    'Object',
    'ObjectCreated:Put:Extra',
    'objectcreated:put',
    's3:ObjectCreated:P?t',
  ]) {
    it(`refuses ${bad} with InvalidArgument`, () => {
      assert.throws(() => eventNameMatcher([bad]), { code: 'InvalidArgument' });
    });
  }
});
