/**
 * Mutation fuzz: valid CSV, JSON and compressed inputs with random bytes
 * flipped, inserted, deleted or cut off (seeded, so a failure replays). Every
 * run must end — with records or with an S3Error — never another exception
 * and never a hang.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { isS3Error } from '../../../shared/errors.js';
import type { CsvInputOptions } from '../types.js';
import { MULTI_STREAM, THREE_BLOCKS } from './bzip2-fixtures.js';
import { decompressed, type CompressionType } from './decompress.js';
import { chunksOf, collectCsv, collectJson } from './reader-test-kit.js';

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T };
}

type Rng = ReturnType<typeof prng>;

const INTERESTING = [
  0x22, 0x2c, 0x0a, 0x0d, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x23, 0x00, 0xff, 0xc3, 0xe2, 0xf0,
];

function mutate(data: Buffer, rng: Rng): Buffer {
  let b = Buffer.from(data);
  const edits = 1 + rng.int(4);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(Math.max(1, b.length));
    switch (rng.int(5)) {
      case 0: // flip a bit
        if (b.length > 0) b[at] = (b[at] ?? 0) ^ (1 << rng.int(8));
        break;
      case 1: // overwrite with a byte that matters to a parser
        if (b.length > 0) b[at] = rng.pick(INTERESTING);
        break;
      case 2: // insert bytes
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(
            Array.from({ length: 1 + rng.int(8) }, () =>
              rng.next() < 0.5 ? rng.pick(INTERESTING) : rng.int(256),
            ),
          ),
          b.subarray(at),
        ]);
        break;
      case 3: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(16))]);
        break;
      default: // cut off
        b = b.subarray(0, at);
    }
  }
  return b;
}

const CSV_TEXT =
  'id,name,note\n1,ann,"a, ""quoted"" note"\n2,bob,"multi\nline"\n#comment\n3,cid,plain\r\n4,"é😀",\n\n5,x,"\\"esc\\""\n';
const JSON_LINES = '{"a":1,"b":[1,2,{"c":"}"}]}\n{"a":"x\\"y","n":null}\n\n[1,{"d":{"e":[]}}]\n"s"\n';
const JSON_DOC = '{\n  "a": 1,\n  "b": {"c": [1, 2, "]"]}\n}\n{"x": "\\\\"} [1, 2]\n42\n';

/** Resolves with the run's outcome; rejects if it takes longer than `ms` (a hang). */
async function settles<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(what: string, seed: number, p: () => Promise<unknown>): Promise<void> {
  try {
    await settles(p(), 10_000);
  } catch (e) {
    if (!isS3Error(e)) assert.fail(`${what} seed ${seed}: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

const ITERATIONS = 300;

describe('mutation fuzz', () => {
  it('CSV', async () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const rng = prng(seed);
      const data = mutate(Buffer.from(CSV_TEXT), rng);
      const opts: Partial<CsvInputOptions> = {
        fileHeaderInfo: rng.pick(['USE', 'IGNORE', 'NONE'] as const),
        allowQuotedRecordDelimiter: rng.next() < 0.5,
        comments: rng.pick(['', '#']),
        quoteEscapeCharacter: rng.pick(['"', '\\']),
        recordDelimiter: rng.pick(['\n', '\n', '\r\n']),
      };
      const size = data.length;
      const range =
        rng.next() < 0.3
          ? { start: rng.int(size + 1), end: rng.next() < 0.5 ? undefined : rng.int(size + 2) + 1 }
          : undefined;
      const scanRange = range && range.end !== undefined && range.end <= range.start ? undefined : range;
      await run('CSV', seed, () =>
        collectCsv(chunksOf(data, 1 + rng.int(20)), opts, {
          scanRange,
          inputOffset: 0,
          openHeader: () => chunksOf(data, 7),
          limit: rng.next() < 0.2 ? 1 + rng.int(3) : undefined,
        }),
      );
    }
  });

  it('JSON LINES and DOCUMENT', async () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const rng = prng(seed);
      const type = rng.pick(['LINES', 'DOCUMENT'] as const);
      const data = mutate(Buffer.from(type === 'LINES' ? JSON_LINES : JSON_DOC), rng);
      const scanRange =
        type === 'LINES' && rng.next() < 0.3
          ? { start: rng.int(data.length + 1), end: undefined }
          : undefined;
      await run(`JSON ${type}`, seed, () =>
        collectJson(chunksOf(data, 1 + rng.int(20)), type, { scanRange, inputOffset: 0 }),
      );
    }
  });

  const compressed: { type: CompressionType; data: Buffer }[] = [
    { type: 'GZIP', data: zlib.gzipSync(CSV_TEXT.repeat(20)) },
    { type: 'GZIP', data: Buffer.concat([zlib.gzipSync(JSON_LINES), zlib.gzipSync(JSON_LINES)]) },
    { type: 'BZIP2', data: MULTI_STREAM },
    { type: 'BZIP2', data: THREE_BLOCKS },
  ];
  it('GZIP and BZIP2 into the CSV and JSON readers', async () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const rng = prng(seed);
      const src = rng.pick(compressed);
      const data = mutate(src.data, rng);
      const body = () =>
        decompressed(chunksOf(data, 1 + rng.int(4096)), src.type, { maxDecompressedBytes: 4 << 20 });
      await run(`${src.type} CSV`, seed, () => collectCsv(body(), { allowQuotedRecordDelimiter: true }));
      await run(`${src.type} JSON`, seed, () => collectJson(body(), 'LINES'));
    }
  });
});
