import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { bodyBytes } from '../../test/helpers/object-kit.js';
import { seededBytes } from '../../test/helpers/seeded-random.js';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { writeBody } from './body-writer.js';

const KiB = 1024;

describe('writeBody', () => {
  let root: string;
  let blobs: LocalBlobStore;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-body-writer-'));
    blobs = new LocalBlobStore({ root });
    await blobs.ready();
  });
  after(async () => {
    await blobs.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Bytes in staged files other than those made ahead (empty until a write takes one). */
  const stagedBytes = (): number => {
    const reserved = new Set(blobs.reservedIds());
    return fs
      .readdirSync(path.join(root, 'tmp'))
      .filter((name) => !reserved.has(name))
      .reduce((n, name) => n + fs.statSync(path.join(root, 'tmp', name)).size, 0);
  };

  const waitFor = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('writes what has arrived of a body while the rest is still coming', async () => {
    const data = seededBytes(21, 1024 * KiB);
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: data.length });
    body.write(data.subarray(0, 600 * KiB));
    // Two 256 KiB pieces are on their way to the file before the body has ended.
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 512 * KiB);
    body.end(data.subarray(600 * KiB));
    const w = await written;
    assert.equal(w.size, data.length);
    assert.equal(w.md5, createHash('md5').update(data).digest('hex'));
    blobs.publish(w.blobId!);
    assert.ok((await bodyBytes(blobs.read(w.blobId!, 0, data.length - 1))).equals(data));
  });

  it('removes what it wrote when the body ends short of its Content-Length', async () => {
    const data = seededBytes(22, 700 * KiB);
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: 1024 * KiB });
    body.write(data);
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 512 * KiB);
    body.end();
    await assert.rejects(written, { code: 'IncompleteBody' });
    assert.equal(stagedBytes(), 0);
  });

  it('removes what it wrote when the body fails midway', async () => {
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: 2048 * KiB });
    body.write(seededBytes(23, 1300 * KiB));
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 1024 * KiB);
    body.destroy(new Error('connection reset'));
    await assert.rejects(written, /connection reset/);
    assert.equal(stagedBytes(), 0);
  });
});
