import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import { body, openFixture, type StoreFixture } from '../../store/store-fixture.js';
import type { ObjectVersion } from '../../store/types.js';
import type { ScanCounters } from '../types.js';
import { objectAsRandomAccess, readParquet } from './index.js';
import { openDuck, standIn, type Duck } from './parquet-test-kit.js';

const counters = (): ScanCounters => ({ bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 });

describe('objectAsRandomAccess', () => {
  let f: StoreFixture;
  let duck: Duck;
  let text: ObjectVersion;
  let parquet: ObjectVersion;
  const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(1000));
  before(async () => {
    f = await openFixture();
    duck = await openDuck();
    f.store.createBucket('pq-bucket', f.owner, 'us-east-1');
    text = await f.store.putObject('pq-bucket', 'text', body(content, 1000), {});
    const { data } = await duck.write(
      'SELECT i AS id, md5(i::VARCHAR) AS h FROM range(10000) t(i)',
      'COMPRESSION snappy, ROW_GROUP_SIZE 2048',
    );
    parquet = await f.store.putObject('pq-bucket', 'data.parquet', body(data), {});
  });
  after(async () => {
    duck.close();
    await f.cleanup();
  });

  const ranges: [number, number][] = [
    [0, 1],
    [0, 36000],
    [35999, 36000],
    [999, 1001],
    [5000, 5000],
  ];
  for (const [start, end] of ranges) {
    it(`reads [${start}, ${end}) and counts those bytes`, async () => {
      const c = counters();
      const file = objectAsRandomAccess(f.store, text, c);
      try {
        const got = await file.read(start, end);
        assert.deepEqual(got, content.subarray(start, end));
        assert.equal(c.bytesScanned, end - start);
      } finally {
        await file.close();
      }
    });
  }

  for (const [start, end] of [
    [0, 36001],
    [-1, 3],
    [10, 5],
  ] as const) {
    it(`rejects [${start}, ${end})`, async () => {
      const file = objectAsRandomAccess(f.store, text, counters());
      await assert.rejects(file.read(start, end), (e) => isS3Error(e));
      await file.close();
    });
  }

  it('serves a Parquet scan from the store', async () => {
    const c = counters();
    const q = standIn({ names: ['id'], limit: 5 });
    const ids: unknown[] = [];
    const file = objectAsRandomAccess(f.store, parquet, c);
    await readParquet(file, {
      query: q.query,
      counters: c,
      sink: (r) => {
        ids.push((r as { id: unknown }).id);
        q.count();
        return true;
      },
    });
    await file.close();
    assert.deepEqual(ids, [0, 1, 2, 3, 4]);
    assert.ok(c.bytesScanned > 0 && c.bytesScanned < parquet.size, `${c.bytesScanned} of ${parquet.size}`);
  });

  it('stops with the abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const c = counters();
    const file = objectAsRandomAccess(f.store, parquet, c, ac.signal);
    await assert.rejects(
      readParquet(file, {
        query: standIn({ all: true }).query,
        counters: c,
        sink: () => true,
        signal: ac.signal,
      }),
      (e) => !isS3Error(e) || e.code !== 'ParquetParsingError',
    );
    await file.close();
  });
});
