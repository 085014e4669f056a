import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { S3EventRecord } from '../../shared/events.js';
import type { NotificationRule } from '../store/types.js';
import { eventNamesOverlap } from './event-names.js';
import { keyFiltersOverlap } from './key-filter.js';
import { matchingRules } from './match.js';
import { testRecord } from './record-fixture.js';

function record(eventName: string, key: string): S3EventRecord {
  return testRecord({ eventName, key });
}

function rule(id: string, events: string[], prefix?: string, suffix?: string): NotificationRule {
  return {
    id,
    kind: 'Queue',
    arn: 'arn:strata:sqs::hook:webhook',
    events,
    filterRules: [
      ...(prefix === undefined ? [] : [{ name: 'Prefix' as const, value: prefix }]),
      ...(suffix === undefined ? [] : [{ name: 'Suffix' as const, value: suffix }]),
    ],
  };
}

describe('matching events to notification rules', () => {
  const rules = [
    rule('created-jpg', ['s3:ObjectCreated:*'], 'images/', '.jpg'),
    rule('put-space', ['s3:ObjectCreated:Put'], 'my+folder/'),
    rule('deleted', ['s3:ObjectRemoved:Delete']),
    rule('percent', ['s3:ObjectTagging:*'], 'a%2Bb/'),
  ];
  const cases: Array<[string, string, string[]]> = [
    ['ObjectCreated:Put', 'images/cat.jpg', ['created-jpg']],
    ['ObjectCreated:CompleteMultipartUpload', 'images/deep/cat.jpg', ['created-jpg']],
    ['ObjectCreated:Put', 'images/cat.png', []],
    ['ObjectCreated:Put', 'other/cat.jpg', []],
    ['ObjectRemoved:Delete', 'images/cat.jpg', ['deleted']],
    ['ObjectRemoved:DeleteMarkerCreated', 'images/cat.jpg', []],
    // S3 writes a space in a filter value as "+"; keys are compared decoded.
    ['ObjectCreated:Put', 'my folder/x', ['put-space']],
    ['ObjectCreated:Put', 'my+folder/x', []],
    ['ObjectCreated:Copy', 'my folder/x', []],
    ['ObjectTagging:Put', 'a+b/c', ['percent']],
    ['ObjectAccessed:Get', 'images/cat.jpg', []],
  ];
  for (const [event, key, expected] of cases) {
    it(`${event} ${JSON.stringify(key)} → ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(
        matchingRules({ rules }, record(event, key)).map((r) => r.id),
        expected,
      );
    });
  }

  it('knows which event names overlap', () => {
    assert.equal(eventNamesOverlap('s3:ObjectCreated:*', 's3:ObjectCreated:Put'), true);
    assert.equal(eventNamesOverlap('s3:ObjectCreated:Put', 's3:ObjectCreated:*'), true);
    assert.equal(eventNamesOverlap('s3:ObjectCreated:Put', 's3:ObjectCreated:Post'), false);
    assert.equal(eventNamesOverlap('s3:ObjectCreated:*', 's3:ObjectRemoved:*'), false);
  });

  it('knows which key filters overlap (S3 examples)', () => {
    const f = (prefix = '', suffix = '') => ({ prefix, suffix });
    assert.equal(keyFiltersOverlap(f('images/'), f()), true);
    assert.equal(keyFiltersOverlap(f('images/'), f('images/2024/')), true);
    assert.equal(keyFiltersOverlap(f('images/'), f('', 'jpg')), true);
    assert.equal(keyFiltersOverlap(f('', '.jpg'), f('', 'jpg')), true);
    assert.equal(keyFiltersOverlap(f('images/'), f('videos/')), false);
    assert.equal(keyFiltersOverlap(f('images/', '.jpg'), f('images/', '.png')), false);
  });
});
