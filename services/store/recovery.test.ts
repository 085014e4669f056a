import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { MIGRATIONS, migrate } from './sqlite/migrations.js';
import { blobFiles, body, openFixture, readAll, type StoreFixture } from './store-fixture.js';
import { decodeBodyRef } from './body-ref.js';

/** Crashes (does nothing) right after the metadata commit, before the rename. */
class CrashBeforePublish extends LocalBlobStore {
  override publish(): void {}
}

/** Crashes before deleting freed blobs. */
class CrashBeforeRemove extends LocalBlobStore {
  override async remove(): Promise<void> {}
}

const hot = (dataDir: string) => path.join(dataDir, 'tiers', 'hot');

describe('crash recovery at start', () => {
  let f: StoreFixture;
  afterEach(() => f.cleanup());

  it('deletes a staged blob that no committed metadata references', async () => {
    f = await openFixture();
    const orphan = path.join(hot(f.dataDir), 'tmp', '0123456789abcdef0123456789abcdef');
    fs.writeFileSync(orphan, 'half a body');
    await f.reopen();
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [] });
  });

  it('rolls forward a staged blob whose version was committed', async () => {
    f = await openFixture();
    const crashed = await f.reopen({ blobs: new CrashBeforePublish({ root: hot(f.dataDir) }) });
    crashed.createBucket('rec', f.owner, 'us-east-1');
    const v = await crashed.putObject('rec', 'k', body('committed bytes'), {});
    const id = decodeBodyRef(v.bodyRef)[0]?.id as string;
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [id] });
    const restarted = await f.reopen();
    assert.deepEqual(blobFiles(f.dataDir), { published: [id], staged: [] });
    const head = restarted.headObject('rec', 'k');
    assert.equal((await readAll(restarted.openObject(head))).toString(), 'committed bytes');
  });

  it('deletes blobs freed by a commit whose deletion did not happen', async () => {
    f = await openFixture();
    const crashed = await f.reopen({ blobs: new CrashBeforeRemove({ root: hot(f.dataDir) }) });
    crashed.createBucket('rec', f.owner, 'us-east-1');
    await crashed.putObject('rec', 'k', body('old'), {});
    const v = await crashed.putObject('rec', 'k', body('new'), {});
    assert.equal(blobFiles(f.dataDir).published.length, 2);
    await f.reopen();
    assert.deepEqual(blobFiles(f.dataDir).published, [decodeBodyRef(v.bodyRef)[0]?.id]);
  });

  it('leaves nothing behind when a write fails', async () => {
    f = await openFixture();
    f.store.createBucket('rec', f.owner, 'us-east-1');
    const big = Buffer.alloc(3 * 1024 * 1024, 7); // large enough to reach the disk before failing
    await assert.rejects(
      f.store.putObject('rec', 'k', body(big), { contentMd5: Buffer.alloc(16).toString('base64') }),
      {
        code: 'BadDigest',
      },
    );
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [] });
  });

  it('applies migrations in order once, and refuses a newer schema', async () => {
    f = await openFixture();
    const db = new Database(path.join(f.dataDir, 'meta.db'));
    try {
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      assert.equal(migrate(db), MIGRATIONS.length, 'a second run changes nothing');
      const extra = [
        ...MIGRATIONS,
        { version: MIGRATIONS.length + 1, description: 'test', sql: 'CREATE TABLE extra (x)' },
      ];
      assert.equal(migrate(db, extra), MIGRATIONS.length + 1);
      assert.throws(() => migrate(db), /newer than this Strata/);
    } finally {
      db.close();
    }
  });
});
