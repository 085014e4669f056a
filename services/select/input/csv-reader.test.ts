import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Projection } from '../types.js';
import { fieldLimit } from './csv-reader.js';
import { chunksOf, collectCsv, outcome, splitAt } from './reader-test-kit.js';

const proj = (positions: number[], names: string[] = []): Projection => ({
  allColumns: false,
  names: new Set(names),
  positions: new Set(positions),
});

describe('readCsv: FileHeaderInfo', () => {
  const input = '#note\n\nname,age\nann,31\nbob,42\n';
  const cases = [
    {
      mode: 'USE',
      header: ['name', 'age'],
      rows: [
        ['ann', '31'],
        ['bob', '42'],
      ],
    },
    {
      mode: 'IGNORE',
      header: undefined,
      rows: [
        ['ann', '31'],
        ['bob', '42'],
      ],
    },
    {
      mode: 'NONE',
      header: undefined,
      rows: [
        ['name', 'age'],
        ['ann', '31'],
        ['bob', '42'],
      ],
    },
  ] as const;
  for (const c of cases) {
    it(`${c.mode}: the first record (after comments and blank lines)`, async () => {
      const r = await collectCsv(chunksOf(input, 5), { fileHeaderInfo: c.mode, comments: '#' });
      assert.deepEqual(r.header, c.header);
      assert.deepEqual(r.rows, c.rows);
    });
  }
  it('USE on an empty object binds no header and yields nothing', async () => {
    const r = await collectCsv(chunksOf(''), { fileHeaderInfo: 'USE' });
    assert.equal(r.header, undefined);
    assert.deepEqual(r.rows, []);
  });
  it('a UTF-8 byte order mark is not part of the first header name', async () => {
    const r = await collectCsv(chunksOf('\uFEFFid,v\n1,2\n', 1), { fileHeaderInfo: 'USE' });
    assert.deepEqual(r.header, ['id', 'v']);
  });
});

describe('readCsv: UTF-8', () => {
  const input = 'naïve,名前\n€uro,😀x\n';
  it('decodes characters split across chunks at every byte position', async () => {
    for (let cut = 1; cut < Buffer.byteLength(input); cut++) {
      const r = await collectCsv(splitAt(input, cut));
      assert.deepEqual(
        r.rows,
        [
          ['naïve', '名前'],
          ['€uro', '😀x'],
        ],
        `cut at ${cut}`,
      );
    }
    const r = await collectCsv(chunksOf(input, 1));
    assert.deepEqual(r.rows, [
      ['naïve', '名前'],
      ['€uro', '😀x'],
    ]);
  });
  it('counts bytes processed', async () => {
    const r = await collectCsv(chunksOf(input, 3));
    assert.equal(r.counters.bytesProcessed, Buffer.byteLength(input));
  });
});

/** A source of `total` bytes of `fill` (no newline), counting what was pulled. */
function endless(total: number, fill: string) {
  const state = { pulled: 0, closed: false };
  const chunk = Buffer.alloc(64 * 1024, fill);
  async function* gen() {
    try {
      while (state.pulled < total) {
        state.pulled += chunk.length;
        yield chunk;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, input: gen() };
}

describe('readCsv: OverMaxRecordSize', () => {
  const cases = [
    { name: 'a 2 MB line', fill: 'x', opts: {} },
    { name: 'a 2 MB line of fields', fill: ',', opts: {} },
    {
      name: 'a 2 MB quoted field (AllowQuotedRecordDelimiter TRUE)',
      fill: '\n',
      prefix: '"',
      opts: { allowQuotedRecordDelimiter: true },
    },
  ];
  for (const c of cases) {
    it(`${c.name} fails after about 1 MB, with bounded memory`, async () => {
      const src = endless(2 * 1024 * 1024, c.fill);
      async function* input() {
        if (c.prefix) yield Buffer.from(c.prefix);
        yield* src.input;
      }
      assert.equal(await outcome(collectCsv(input(), c.opts)), 'OverMaxRecordSize');
      assert.ok(src.state.pulled <= 1024 * 1024 + 2 * 64 * 1024, `pulled ${src.state.pulled}`);
      assert.ok(src.state.closed);
    });
  }
  it('a record of exactly 1 MB is accepted', async () => {
    const big = 'y'.repeat(1024 * 1024);
    const r = await collectCsv(chunksOf(`a\n${big}\nb\n`));
    assert.deepEqual(
      r.rows.map((x) => x[0]?.length),
      [1, big.length, 1],
    );
  });
  it('a record one character over 1 MB is refused even inside one chunk', async () => {
    const big = 'y'.repeat(1024 * 1024 + 1);
    assert.equal(await outcome(collectCsv(chunksOf(`${big}\n`, 4 << 20))), 'OverMaxRecordSize');
  });
});

describe('readCsv: LIMIT', () => {
  it('stops pulling the input as soon as the sink says stop', async () => {
    const state = { pulled: 0, closed: false };
    async function* input() {
      try {
        for (let i = 0; i < 1000; i++) {
          state.pulled++;
          yield Buffer.from(`${i},a\n${i},b\n`);
        }
      } finally {
        state.closed = true;
      }
    }
    const r = await collectCsv(input(), {}, { limit: 3 });
    assert.deepEqual(r.rows, [
      ['0', 'a'],
      ['0', 'b'],
      ['1', 'a'],
    ]);
    assert.equal(state.pulled, 2);
    assert.ok(state.closed);
  });
});

describe('readCsv: projection', () => {
  const input = 'a,b,c,d\n1,2,3,4\n5,6\n';
  const cases = [
    {
      name: 'all columns',
      p: { allColumns: true, names: new Set<string>(), positions: new Set<number>() },
      mode: 'NONE',
      rows: [
        ['a', 'b', 'c', 'd'],
        ['1', '2', '3', '4'],
        ['5', '6'],
      ],
    },
    {
      name: '_2 only',
      p: proj([1]),
      mode: 'NONE',
      rows: [
        ['a', 'b'],
        ['1', '2'],
        ['5', '6'],
      ],
    },
    {
      name: '_1 and _3',
      p: proj([0, 2]),
      mode: 'NONE',
      rows: [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
        ['5', '6'],
      ],
    },
    { name: 'no column (COUNT(*))', p: proj([]), mode: 'NONE', rows: [[], [], []] },
    {
      name: 'a header name, any case',
      p: proj([], ['B']),
      mode: 'USE',
      rows: [
        ['1', '2'],
        ['5', '6'],
      ],
    },
    {
      name: 'a name the header lacks: every field',
      p: proj([], ['b', 'zz']),
      mode: 'USE',
      rows: [
        ['1', '2', '3', '4'],
        ['5', '6'],
      ],
    },
    {
      name: 'names without a header: every field',
      p: proj([0], ['b']),
      mode: 'IGNORE',
      rows: [
        ['1', '2', '3', '4'],
        ['5', '6'],
      ],
    },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const r = await collectCsv(chunksOf(input, 4), { fileHeaderInfo: c.mode }, { projection: c.p });
      assert.deepEqual(r.rows, c.rows);
      if (c.mode === 'USE') assert.deepEqual(r.header, ['a', 'b', 'c', 'd']);
    });
  }
  const only = (positions: number[], names: string[] = []): Projection => ({
    ...proj(positions, names),
    onlyThese: true,
  });
  const onlyCases = [
    {
      name: 'onlyThese: _1 and _3, _2 left empty',
      p: only([0, 2]),
      mode: 'NONE',
      rows: [
        ['a', '', 'c'],
        ['1', '', '3'],
        ['5', ''],
      ],
    },
    {
      name: 'onlyThese: a header name',
      p: only([], ['C']),
      mode: 'USE',
      rows: [
        ['', '', '3'],
        ['', ''],
      ],
    },
    {
      name: 'onlyThese: a name the header lacks: every field',
      p: only([], ['zz']),
      mode: 'USE',
      rows: [
        ['1', '2', '3', '4'],
        ['5', '6'],
      ],
    },
  ] as const;
  for (const c of onlyCases) {
    it(c.name, async () => {
      const r = await collectCsv(chunksOf(input, [3, 5]), { fileHeaderInfo: c.mode }, { projection: c.p });
      assert.deepEqual(r.rows, c.rows);
    });
  }
  it('fieldLimit', () => {
    assert.equal(fieldLimit(proj([4, 1]), undefined), 5);
    assert.equal(fieldLimit(proj([], ['x']), ['a', 'X']), 2);
    assert.equal(fieldLimit(proj([], ['x']), undefined), Infinity);
  });
});
