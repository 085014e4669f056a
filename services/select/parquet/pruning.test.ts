import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnStats } from '../types.js';
import { openDuck, scan, standIn, type Duck } from './parquet-test-kit.js';

// 20 row groups of 2048 rows; id ascending so each group has a narrow id range.
const TABLE = `SELECT i AS id, 'name-' || i || md5(i::VARCHAR) AS name, (i % 50)::INTEGER AS category, i * 0.5 AS amount
  FROM range(40960) t(i)`;
const OPTIONS = 'COMPRESSION zstd, ROW_GROUP_SIZE 2048';

/** WHERE id = k, as a pruning rule over the id column's statistics. */
const idEquals = (k: number) => (stats: ReadonlyMap<string, ColumnStats>) => {
  const s = stats.get('id');
  return !s || s.min === undefined || ((s.min as number) <= k && k <= (s.max as number));
};

describe('Parquet reader: reads only what the query needs', () => {
  let duck: Duck;
  let data: Buffer;
  before(async () => {
    duck = await openDuck();
    ({ data } = await duck.write(TABLE, OPTIONS));
  });
  after(() => duck.close());

  it('reads only the projected column chunks', async () => {
    const full = await scan(data, standIn({ all: true }));
    const two = await scan(data, standIn({ names: ['id', 'CATEGORY'] }));
    assert.equal(two.rows.length, 40960);
    assert.deepEqual(
      Object.keys(two.rows[0]!),
      ['id', 'category'],
      'names match case-insensitively, keys are exact',
    );
    assert.deepEqual(two.rows[4097], { id: 4097, category: 47 });
    assert.ok(
      two.counters.bytesScanned * 5 < full.counters.bytesScanned,
      `${two.counters.bytesScanned} scanned for two small columns vs ${full.counters.bytesScanned} for all`,
    );
    assert.ok(two.counters.bytesProcessed < full.counters.bytesProcessed);
  });

  it('selects positional columns (_2 is the second column)', async () => {
    const { rows } = await scan(data, standIn({ positions: [1] }));
    assert.deepEqual(rows[3], { name: 'name-3eccbc87e4b5ce2fe28308fd9f2a7baf3' });
  });

  it('reads no column chunk when the query needs no column (COUNT(*))', async () => {
    const { rows, counters } = await scan(data, standIn({}));
    assert.equal(rows.length, 40960);
    assert.deepEqual(rows[0], {});
    assert.ok(counters.bytesScanned * 10 < data.length, `only the footer: ${counters.bytesScanned}`);
    assert.equal(counters.bytesProcessed, 0);
  });

  it('passes row-group statistics to mayMatch and skips the groups it rules out', async () => {
    const all = standIn({ names: ['id', 'name'] });
    const everything = await scan(data, all);
    assert.equal(all.asked.length, 20);
    assert.deepEqual(all.asked[1]!.get('id'), { min: 2048, max: 4095, nullCount: 0 });
    assert.deepEqual(all.asked[0]!.get('category'), { min: 0, max: 49, nullCount: 0 });
    const name = all.asked[0]!.get('name')!;
    assert.equal(name.min, 'name-0cfcd208495d565ef66e7dff9f98764da');

    const one = await scan(data, standIn({ names: ['id', 'name'], prune: idEquals(5000) }));
    assert.equal(one.rows.length, 2048, 'only the group holding id 5000 is read');
    assert.equal(one.rows[0]!.id, 4096);
    assert.ok(
      one.counters.bytesScanned * 5 < everything.counters.bytesScanned,
      `${one.counters.bytesScanned} scanned with pruning vs ${everything.counters.bytesScanned} without`,
    );
  });

  it('stops reading once LIMIT is satisfied', async () => {
    const whole = await scan(data, standIn({ names: ['name'] }));
    const limited = await scan(data, standIn({ names: ['name'], limit: 10 }));
    assert.equal(limited.rows.length, 10);
    assert.deepEqual(
      limited.rows.map((r) => r.name),
      whole.rows.slice(0, 10).map((r) => r.name),
    );
    assert.ok(
      limited.counters.bytesScanned * 5 < whole.counters.bytesScanned,
      `${limited.counters.bytesScanned} scanned for LIMIT 10 vs ${whole.counters.bytesScanned}`,
    );
  });

  it('stops when the sink returns false', async () => {
    const q = standIn({ names: ['id'] });
    let n = 0;
    const { bufferAsRandomAccess, readParquet } = await import('./index.js');
    const counters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
    await readParquet(bufferAsRandomAccess(data, counters), {
      query: q.query,
      counters,
      sink: () => ++n < 3,
    });
    assert.equal(n, 3);
  });
});
