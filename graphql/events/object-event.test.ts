import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEventKey, type StrataEvent } from '../../shared/events.js';
import { decodeEventKey, eventIdentity, objectEventView, parseStrataEvent } from './object-event.js';

const event: StrataEvent = {
  id: 42,
  record: {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2024-05-01T00:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'p' },
    requestParameters: { sourceIPAddress: '10.0.0.1' },
    responseElements: { 'x-amz-request-id': 'RID', 'x-amz-id-2': 'RID' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: '',
      bucket: { name: 'b', ownerIdentity: { principalId: 'p' }, arn: 'arn:aws:s3:::b' },
      object: {
        key: encodeEventKey('dir/a b+c ü.txt'),
        size: 3,
        eTag: 'e',
        versionId: 'v1',
        sequencer: '0A',
      },
    },
  },
};

describe('object events on the channel', () => {
  it('decodes keys as S3 encodes them (space as "+")', () => {
    for (const key of ['plain', 'a b', 'a+b', 'dir/ü (1)!*.txt', '%41']) {
      assert.equal(decodeEventKey(encodeEventKey(key)), key);
    }
  });

  it('flattens a record into the ObjectEvent view', () => {
    const v = objectEventView(event);
    assert.deepEqual(
      { ...v, record: undefined },
      {
        id: '42',
        eventName: 'ObjectCreated:Put',
        eventTime: '2024-05-01T00:00:00.000Z',
        bucket: 'b',
        key: 'dir/a b+c ü.txt',
        versionId: 'v1',
        size: 3,
        eTag: 'e',
        sequencer: '0A',
        principalId: 'p',
        requestId: 'RID',
        record: undefined,
      },
    );
    assert.deepEqual(JSON.parse(v.record), event.record);
  });

  it('reads well-formed messages and refuses anything else', () => {
    assert.deepEqual(parseStrataEvent(JSON.stringify(event)), event);
    for (const bad of [
      '',
      'null',
      '[]',
      '{"id":1}',
      '{"id":1,"record":{}}',
      JSON.stringify({ record: event.record }),
    ]) {
      assert.equal(parseStrataEvent(bad), undefined, bad);
    }
  });

  it('tells apart events of two stores with the same outbox id, not a re-published copy', () => {
    const copy = JSON.parse(JSON.stringify(event)) as StrataEvent;
    assert.equal(eventIdentity(copy), eventIdentity(event));
    const otherStore: StrataEvent = {
      id: 42,
      record: {
        ...event.record,
        s3: { ...event.record.s3, object: { ...event.record.s3.object, sequencer: '0B' } },
      },
    };
    assert.notEqual(eventIdentity(otherStore), eventIdentity(event));
  });
});
