/**
 * page-cache: on Linux the addon is built by `npm install`, and dropping a
 * range of a written and fsynced file takes exactly that range's pages out
 * of the page cache (util-linux's fincore tells what is cached).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { residentBytes } from '../test/helpers/resident.js';
import { seededBytes } from '../test/helpers/seeded-random.js';
import { dropPageCache, pageCacheDropAvailable } from './page-cache.js';

const MiB = 1024 * 1024;

describe('page cache drop', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-page-cache-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is available on Linux (the addon was built at install)', () => {
    assert.equal(pageCacheDropAvailable, process.platform === 'linux');
  });

  it('drops the pages of the range it is given, and keeps the rest', async () => {
    const file = path.join(dir, 'sixteen');
    const data = seededBytes(3, 16 * MiB);
    const fh = await fs.promises.open(file, 'w');
    try {
      await fh.write(data);
      await fh.sync();
      assert.equal(residentBytes(file), 16 * MiB, 'a file just written is cached');
      await dropPageCache(fh.fd, 0, 4 * MiB);
      assert.equal(residentBytes(file), 12 * MiB, 'the first 4 MiB dropped');
      await dropPageCache(fh.fd, 4 * MiB, 0);
      assert.equal(residentBytes(file), 0, 'the rest dropped (length 0: to the end)');
    } finally {
      await fh.close();
    }
    assert.ok(fs.readFileSync(file).equals(data), 'the bytes are still the file’s');
  });

  it('never rejects: a bad descriptor only leaves nothing dropped', async () => {
    const fd = fs.openSync(path.join(dir, 'closed'), 'w');
    fs.closeSync(fd);
    await dropPageCache(fd, 0, 0);
  });
});
