import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { StrataEvent } from '../../../shared/events.js';
import { runInRequest } from '../../../shared/request-context.js';
import { body, openFixture, readAll, type StoreFixture } from '../store-fixture.js';
import { sequencerOf } from './event-record.js';

const B = 'evt';

describe('outbox: events written with each change', () => {
  let f: StoreFixture;
  beforeEach(async () => {
    f = await openFixture({ region: 'eu-west-3' });
    f.store.createBucket(B, f.owner, 'eu-west-3');
  });
  afterEach(() => f.cleanup());

  const events = (): StrataEvent[] => f.store.readOutbox(0, 1000);
  const names = () =>
    events().map((e) => `${e.record.eventName} ${decodeURIComponent(e.record.s3.object.key)}`);

  it('PUT writes one ObjectCreated:Put record in the S3 shape', async () => {
    const v = await f.store.putObject(B, 'a b/ü+.txt', body('hello'), {});
    const [e, ...rest] = events();
    assert.equal(rest.length, 0);
    assert.ok(e);
    const r = e.record;
    assert.equal(r.eventVersion, '2.1');
    assert.equal(r.eventSource, 'aws:s3');
    assert.equal(r.awsRegion, 'eu-west-3');
    assert.equal(r.eventName, 'ObjectCreated:Put');
    assert.ok(Math.abs(Date.parse(r.eventTime) - v.lastModified.getTime()) < 1000);
    assert.equal(r.userIdentity.principalId, 'strata');
    assert.equal(r.requestParameters.sourceIPAddress, '127.0.0.1');
    assert.match(r.responseElements['x-amz-request-id'], /^[0-9A-F]{16}$/);
    assert.deepEqual(r.s3.bucket, {
      name: B,
      ownerIdentity: { principalId: f.owner.id },
      arn: `arn:aws:s3:::${B}`,
    });
    assert.equal(r.s3.object.key, 'a+b/%C3%BC%2B.txt');
    assert.equal(r.s3.object.size, 5);
    assert.equal(r.s3.object.eTag, '5d41402abc4b2a76b9719d911017c592');
    assert.equal(r.s3.object.versionId, undefined, 'unversioned buckets have no versionId');
    assert.equal(r.s3.object.sequencer, sequencerOf(e.id));
  });

  it('a refused write (precondition) writes no event', async () => {
    await f.store.putObject(B, 'k', body('one'), {});
    await assert.rejects(f.store.putObject(B, 'k', body('two'), { ifNoneMatch: '*' }), {
      code: 'PreconditionFailed',
    });
    assert.deepEqual(names(), ['ObjectCreated:Put k']);
  });

  it('versioned bucket: versionId on creates, delete markers and permanent deletes', async () => {
    f.store.setBucketVersioning(B, 'Enabled');
    const v1 = await f.store.putObject(B, 'k', body('one'), {});
    const marker = f.store.deleteObject(B, 'k');
    f.store.deleteObject(B, 'k', { versionId: v1.versionId });
    f.store.deleteObject(B, 'k', { versionId: v1.versionId }); // gone already: no event
    const es = events();
    assert.deepEqual(
      es.map((e) => [e.record.eventName, e.record.s3.object.versionId]),
      [
        ['ObjectCreated:Put', v1.versionId],
        ['ObjectRemoved:DeleteMarkerCreated', marker.versionId],
        ['ObjectRemoved:Delete', v1.versionId],
      ],
    );
    assert.equal(es[1]!.record.s3.object.size, undefined);
    assert.equal(es[1]!.record.s3.object.eTag, undefined);
  });

  it('copy, multipart, tagging and unversioned deletes', async () => {
    const mf = await openFixture({ minPartSize: 1 });
    try {
      mf.store.createBucket(B, mf.owner, 'us-east-1');
      await mf.store.putObject(B, 'src', body('data'), {});
      await mf.store.copyObject(B, 'src', B, 'dst', { metadataDirective: 'COPY', taggingDirective: 'COPY' });
      const up = mf.store.createMultipartUpload(B, 'mp', mf.owner, {});
      const p1 = await mf.store.uploadPart(B, 'mp', up.uploadId, 1, body('part1'), {});
      const done = mf.store.completeMultipartUpload(B, 'mp', up.uploadId, [{ partNumber: 1, etag: p1.etag }]);
      mf.store.putObjectTagging(B, 'dst', [{ key: 'a', value: 'b' }]);
      mf.store.putObjectTagging(B, 'dst', []);
      mf.store.deleteObject(B, 'src');
      mf.store.deleteObject(B, 'never-there');
      const es = mf.store.readOutbox(0, 100);
      assert.deepEqual(
        es.map((e) => `${e.record.eventName} ${e.record.s3.object.key}`),
        [
          'ObjectCreated:Put src',
          'ObjectCreated:Copy dst',
          'ObjectCreated:CompleteMultipartUpload mp',
          'ObjectTagging:Put dst',
          'ObjectTagging:Delete dst',
          'ObjectRemoved:Delete src',
        ],
      );
      assert.equal(es[2]!.record.s3.object.eTag, done.etag.replaceAll('"', ''));
      assert.match(es[2]!.record.s3.object.eTag ?? '', /-1$/);
    } finally {
      await mf.cleanup();
    }
  });

  it('sequencers increase with the order of commits, as strings', async () => {
    for (let i = 0; i < 20; i++) await f.store.putObject(B, 'k', body(String(i)), {});
    const seqs = events().map((e) => e.record.s3.object.sequencer);
    assert.deepEqual([...seqs].sort(), seqs);
    assert.equal(new Set(seqs).size, 20);
  });

  it('group commit: each PUT of a batch carries its own request origin', async () => {
    const origins = Array.from({ length: 8 }, (_, i) => ({
      requestId: `REQ${i}`,
      principalId: `user-${i}`,
      sourceIp: `10.0.0.${i}`,
    }));
    await Promise.all(
      origins.map((o, i) => runInRequest(o, () => f.store.putObject(B, `k${i}`, body('x'), {}))),
    );
    const seen = events().map((e) => [
      decodeURIComponent(e.record.s3.object.key),
      e.record.responseElements['x-amz-request-id'],
      e.record.userIdentity.principalId,
      e.record.requestParameters.sourceIPAddress,
    ]);
    assert.equal(seen.length, 8);
    for (const [key, req, principal, ip] of seen) {
      const i = Number(key!.slice(1));
      assert.deepEqual([req, principal, ip], [`REQ${i}`, `user-${i}`, `10.0.0.${i}`]);
    }
  });

  it('POST Object form uploads are ObjectCreated:Post', async () => {
    await f.store.putObject(B, 'form', body('x'), { eventName: 's3:ObjectCreated:Post' });
    await runInRequest(
      { requestId: 'R', principalId: 'p', sourceIp: '1.2.3.4', operation: 'PostObject' },
      () => f.store.putObject(B, 'form2', body('x'), {}),
    );
    assert.deepEqual(names(), ['ObjectCreated:Post form', 'ObjectCreated:Post form2']);
  });

  it('readOutbox pages by id; markOutboxSent hides sent events; stats count the backlog', async () => {
    for (let i = 0; i < 5; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    const all = f.store.readOutbox(0, 100);
    assert.deepEqual(
      f.store.readOutbox(all[1]!.id, 2).map((e) => e.id),
      [all[2]!.id, all[3]!.id],
    );
    let s = f.store.outboxStats();
    assert.equal(s.backlog, 5);
    assert.equal(s.lastId, all[4]!.id);
    assert.ok(s.oldestAgeMs !== undefined && s.oldestAgeMs >= 0);
    f.store.markOutboxSent(all[2]!.id);
    assert.deepEqual(
      f.store.readOutbox(0, 100).map((e) => e.id),
      [all[3]!.id, all[4]!.id],
    );
    s = f.store.outboxStats();
    assert.equal(s.backlog, 2);
    f.store.markOutboxSent(all[4]!.id);
    assert.deepEqual(f.store.outboxStats(), { backlog: 0, oldestAgeMs: undefined, lastId: all[4]!.id });
  });

  it('pruneOutbox deletes old sent events only, and ids are never reused', async () => {
    for (let i = 0; i < 4; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    const all = f.store.readOutbox(0, 100);
    f.store.markOutboxSent(all[1]!.id);
    assert.equal(f.store.pruneOutbox(60_000), 0, 'nothing is old enough');
    assert.equal(f.store.pruneOutbox(-1), 2, 'the two sent ones go');
    assert.equal(f.store.pruneOutbox(-1), 0, 'unsent events stay');
    assert.equal(f.store.readOutbox(0, 100).length, 2);
    f.store.markOutboxSent(all[3]!.id);
    assert.equal(f.store.pruneOutbox(-1), 2);
    await f.store.putObject(B, 'again', body('x'), {});
    assert.equal(f.store.readOutbox(0, 100)[0]!.id, all[3]!.id + 1);
  });

  it('onOutboxWrite fires after commits that wrote events, not after others', async () => {
    let calls = 0;
    const off = f.store.onOutboxWrite(() => calls++);
    await f.store.putObject(B, 'k', body('x'), {});
    assert.equal(calls, 1);
    f.store.putBucketTagging(B, [{ key: 'a', value: 'b' }]);
    assert.equal(calls, 1);
    f.store.deleteObject(B, 'k');
    assert.equal(calls, 2);
    off();
    await f.store.putObject(B, 'k', body('x'), {});
    assert.equal(calls, 2);
  });

  it('leases: one holder at a time, renewable, free after expiry or release', async () => {
    assert.equal(f.store.acquireLease('relay', 'a', 60_000), true);
    assert.equal(f.store.acquireLease('relay', 'b', 60_000), false);
    assert.equal(f.store.acquireLease('relay', 'a', 60_000), true, 'renewed by its holder');
    f.store.releaseLease('relay', 'b');
    assert.equal(f.store.acquireLease('relay', 'b', 60_000), false, 'only the holder can release');
    f.store.releaseLease('relay', 'a');
    assert.equal(f.store.acquireLease('relay', 'b', 1), true);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(f.store.acquireLease('relay', 'a', 60_000), true, 'an expired lease can be taken');
    const other = await f.reopen();
    assert.equal(other.acquireLease('relay', 'b', 60_000), false, 'seen by another store on the data dir');
  });
});

describe('outbox: access events', () => {
  let f: StoreFixture;
  beforeEach(async () => {
    f = await openFixture();
    f.store.createBucket(B, f.owner, 'us-east-1');
  });
  afterEach(() => f.cleanup());

  it('GET and HEAD of S3 requests are buffered, then written in one batch', async () => {
    await f.store.putObject(B, 'k', body('hello'), {});
    const scope = (operation: string) => ({
      requestId: 'R',
      principalId: 'p',
      sourceIp: '1.1.1.1',
      operation,
    });
    for (let i = 0; i < 3; i++) {
      await runInRequest(scope('GetObject'), async () => {
        const v = f.store.headObject(B, 'k');
        await readAll(f.store.openObject(v));
      });
    }
    runInRequest(scope('HeadObject'), () => f.store.headObject(B, 'k'));
    // Reads outside such requests (S3 Select's ranged reads, internal code) make no event.
    runInRequest(scope('SelectObjectContent'), () =>
      f.store.openObject(f.store.headObject(B, 'k')).destroy(),
    );
    f.store.openObject(f.store.headObject(B, 'k')).destroy();
    assert.equal(f.store.readOutbox(0, 100).length, 1, 'nothing written on the read path');
    let woke = 0;
    f.store.onOutboxWrite(() => woke++);
    await f.store.flushAccessLog();
    const es = f.store.readOutbox(0, 100);
    assert.deepEqual(
      es.map((e) => e.record.eventName),
      [
        'ObjectCreated:Put',
        'ObjectAccessed:Get',
        'ObjectAccessed:Get',
        'ObjectAccessed:Get',
        'ObjectAccessed:Head',
      ],
    );
    assert.equal(woke, 1, 'one commit for the batch');
    assert.equal(es[1]!.record.requestParameters.sourceIPAddress, '1.1.1.1');
    assert.equal(es[1]!.record.s3.object.size, 5);
  });

  it('flushes by itself within ~500 ms, and on close', async () => {
    const v = await f.store.putObject(B, 'k', body('x'), {});
    f.store.recordAccess(v, 'Get');
    const deadline = Date.now() + 3000;
    while (f.store.readOutbox(0, 100).length < 2) {
      assert.ok(Date.now() < deadline, 'access event not flushed in time');
      await new Promise((r) => setTimeout(r, 20));
    }
    f.store.recordAccess(v, 'Head');
    await f.store.close();
    const reopened = await f.reopen();
    assert.deepEqual(
      reopened.readOutbox(0, 100).map((e) => e.record.eventName),
      ['ObjectCreated:Put', 'ObjectAccessed:Get', 'ObjectAccessed:Head'],
    );
  });
});
