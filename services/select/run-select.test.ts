/**
 * The scan loop against a store whose object bytes the test controls:
 * Cont keep-alives and periodic Progress during a slow scan, back-pressure
 * from a client that does not read, a client that goes away, and LIMIT
 * closing the object stream. Messages are parsed with the SDK's decoder.
 */
import { EventStreamCodec, getChunkedStream } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ObjectStore, ObjectVersion } from '../store/types.js';
import { parseSelectRequest } from './request.js';
import { prepareSelect, startSelect, type SelectTiming } from './run-select.js';

interface Source {
  pulled: number;
  closed: Promise<void>;
}

/** A store whose one object is the chunks `chunks()` yields, counting what the scan pulls. */
function storeOf(chunks: () => AsyncGenerator<Buffer>, size: number) {
  const source: Source = { pulled: 0, closed: new Promise(() => {}) };
  const store = {
    openObject(): Readable {
      let close!: () => void;
      source.closed = new Promise((r) => (close = r));
      const counted = async function* () {
        try {
          for await (const c of chunks()) {
            source.pulled += c.length;
            yield c;
          }
        } finally {
          close();
        }
      };
      return Readable.from(counted(), { objectMode: false, highWaterMark: 64 * 1024 });
    },
  } as unknown as ObjectStore;
  const version = { bucket: 'b', key: 'k', size, storageClass: 'STANDARD' } as ObjectVersion;
  return { store, version, source };
}

function request(sql: string, progress = false) {
  return parseSelectRequest(
    `<SelectObjectContentRequest><Expression>${sql}</Expression><ExpressionType>SQL</ExpressionType>` +
      `<InputSerialization><CSV/></InputSerialization><OutputSerialization><CSV/></OutputSerialization>` +
      `<RequestProgress><Enabled>${progress}</Enabled></RequestProgress></SelectObjectContentRequest>`,
  );
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

async function messages(body: AsyncIterable<Uint8Array>): Promise<Array<{ type: string; payload: string }>> {
  const out: Array<{ type: string; payload: string }> = [];
  for await (const m of getChunkedStream(body)) {
    const msg = codec.decode(m);
    const type = String(msg.headers[':event-type']?.value ?? msg.headers[':error-code']?.value);
    out.push({ type, payload: Buffer.from(msg.body).toString('utf8') });
  }
  return out;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A slow disk: `n` chunks of non-matching rows, one every `ms`. */
function slowRows(n: number, ms: number) {
  return async function* () {
    for (let i = 0; i < n; i++) {
      await delay(ms);
      yield Buffer.from(`row${i},x\n`);
    }
  };
}

/** Rows of 100 bytes, 655 of them a chunk; `total` is a multiple of CHUNK_BYTES. */
const CHUNK_BYTES = 65_500;
function manyRows(total: number) {
  const chunk = Buffer.from(('a'.repeat(99) + '\n').repeat(CHUNK_BYTES / 100));
  return async function* () {
    for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
  };
}

/** Resolves once `read()` has not changed for `quietMs` (or fails after `deadlineMs`). */
async function settled(read: () => number, quietMs = 100, deadlineMs = 5000): Promise<number> {
  const end = Date.now() + deadlineMs;
  let last = read();
  for (;;) {
    await delay(quietMs);
    const now = read();
    if (now === last) return now;
    if (Date.now() > end) assert.fail('the scan did not settle');
    last = now;
  }
}

const fast: SelectTiming = { tickMs: 10, progressMs: 40, contMs: 60 };

describe('startSelect', () => {
  it('sends Cont keep-alives while a slow scan returns nothing', async () => {
    const { store, version } = storeOf(slowRows(8, 40), 80);
    const prepared = prepareSelect(request(`SELECT * FROM S3Object WHERE _1 = 'nope'`), version);
    const msgs = await messages(startSelect(prepared, { store, version, timing: fast }));
    const types = msgs.map((m) => m.type);
    assert.ok(types.filter((t) => t === 'Cont').length >= 2, types.join(' '));
    assert.ok(!types.includes('Records'));
    assert.deepEqual(types.slice(-2), ['Stats', 'End']);
  });

  it('sends Progress periodically when asked, with growing counts', async () => {
    const { store, version } = storeOf(slowRows(8, 40), 80);
    const prepared = prepareSelect(request('SELECT COUNT(*) FROM S3Object', true), version);
    const msgs = await messages(startSelect(prepared, { store, version, timing: fast }));
    const progress = msgs
      .filter((m) => m.type === 'Progress')
      .map((m) => Number(/<BytesScanned>(\d+)/.exec(m.payload)![1]));
    assert.ok(progress.length >= 3, `${progress.length} Progress events`);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
    assert.equal(msgs.find((m) => m.type === 'Records')?.payload, '8\n');
  });

  it('a client that does not read stops the scan; reading resumes it to the end', async () => {
    const total = 1024 * CHUNK_BYTES;
    const { store, version, source } = storeOf(manyRows(total), total);
    const prepared = prepareSelect(request('SELECT * FROM S3Object'), version);
    const body = startSelect(prepared, { store, version, timing: fast });
    const stalledAt = await settled(() => source.pulled);
    assert.ok(stalledAt < 8 * 1024 * 1024, `pulled ${stalledAt} bytes while nobody read`);
    let records = 0;
    for (const m of await messages(body)) if (m.type === 'Records') records += Buffer.byteLength(m.payload);
    assert.equal(records, total);
  });

  it('a client that goes away closes the object stream', async () => {
    const total = 1024 * CHUNK_BYTES;
    const { store, version, source } = storeOf(manyRows(total), total);
    const prepared = prepareSelect(request('SELECT * FROM S3Object'), version);
    const body = startSelect(prepared, { store, version, timing: fast });
    await new Promise((r) => body.once('data', r));
    body.destroy();
    await source.closed;
    assert.ok(source.pulled < total / 4, `pulled ${source.pulled}`);
  });

  it("the request's signal stops the scan and closes the object stream", async () => {
    const total = 1024 * CHUNK_BYTES;
    const { store, version, source } = storeOf(manyRows(total), total);
    const prepared = prepareSelect(request('SELECT * FROM S3Object'), version);
    const requestAbort = new AbortController();
    const body = startSelect(prepared, { store, version, timing: fast, signal: requestAbort.signal });
    await new Promise((r) => body.once('data', r));
    requestAbort.abort();
    await source.closed;
    assert.ok(source.pulled < total / 4, `pulled ${source.pulled}`);
    assert.ok(body.destroyed);
  });

  it('LIMIT closes the object stream as soon as it is satisfied', async () => {
    const total = 1024 * CHUNK_BYTES;
    const { store, version, source } = storeOf(manyRows(total), total);
    const prepared = prepareSelect(request('SELECT * FROM S3Object LIMIT 5'), version);
    const msgs = await messages(startSelect(prepared, { store, version, timing: fast }));
    await source.closed;
    assert.equal(msgs.find((m) => m.type === 'Records')?.payload.split('\n').length, 6);
    assert.ok(source.pulled <= 1024 * 1024, `pulled ${source.pulled}`);
  });
});
