/**
 * What store.durable() waits for: the WAL sync of the commits made so far and
 * the directory fsyncs that make committed blobs' publishes durable, which a
 * PUT starts without waiting for (they run alongside the WAL sync).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { body, openFixture, type StoreFixture } from './store-fixture.js';

/** A blob store whose directory fsyncs wait until the test lets them go (or fail). */
class GatedBlobStore extends LocalBlobStore {
  private gates: { release: () => void; fail: (err: Error) => void }[] = [];
  persists = 0;

  override persist(id: string): Promise<void> {
    this.persists++;
    return new Promise<void>((resolve, reject) => {
      this.gates.push({ release: resolve, fail: reject });
    }).then(() => super.persist(id));
  }

  releaseAll(): void {
    for (const g of this.gates.splice(0)) g.release();
  }

  failAll(err: Error): void {
    for (const g of this.gates.splice(0)) g.fail(err);
  }
}

function settled(p: Promise<unknown>): () => boolean {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  return () => done;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('store durable()', () => {
  let f: StoreFixture;
  let blobs: GatedBlobStore;

  before(async () => {
    f = await openFixture();
    blobs = new GatedBlobStore({ root: path.join(f.dataDir, 'gated-hot') });
    f.store.createBucket('durable', f.owner, 'us-east-1');
  });
  after(() => f.cleanup());

  it('waits for the directory fsync of a PUT that already returned', async () => {
    const s = await f.reopen({ blobs, ownsDataDir: false });
    const v = await s.putObject('durable', 'a', body('hello'), {});
    assert.equal(v.size, 5);
    assert.equal(blobs.persists, 1);
    const isDone = settled(s.durable());
    await tick();
    assert.equal(isDone(), false, 'durable() resolved before the publish was on disk');
    blobs.releaseAll();
    await s.durable();
    await tick();
    assert.equal(isDone(), true);
  });

  it('reports a failed directory fsync to whoever waits for durability', async () => {
    const s = await f.reopen({ blobs, ownsDataDir: false });
    await s.putObject('durable', 'b', body('world'), {});
    const waiting = s.durable();
    blobs.failAll(new Error('EIO: fsync failed'));
    await assert.rejects(waiting, /EIO/);
    await s.durable(); // nothing left pending: a later caller is not failed by it
  });

  it('resolves at once when nothing is pending', async () => {
    const s = await f.reopen({ blobs, ownsDataDir: false });
    await s.durable();
    assert.equal(blobs.persists, 2);
  });
});
