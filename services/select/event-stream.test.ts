/**
 * Event-stream framing, checked against the AWS SDK's own decoder
 * (@smithy/core's EventStreamCodec, what SelectObjectContentCommand uses) and
 * against a CRC-32 computed here independently, bit by bit.
 */
import { EventStreamCodec, getChunkedStream } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  contEvent,
  crc32,
  encodeHeaders,
  encodeMessage,
  endEvent,
  errorEvent,
  progressEvent,
  recordsEvent,
  statsEvent,
} from './event-stream.js';

/** Bitwise CRC-32 (reflected polynomial 0xEDB88320), deliberately not table-driven. */
function referenceCrc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function decode(bytes: Buffer): { headers: Record<string, string>; body: string } {
  const m = codec.decode(bytes);
  const headers: Record<string, string> = {};
  for (const [name, h] of Object.entries(m.headers)) {
    assert.equal(h.type, 'string', `header ${name} is a string header`);
    headers[name] = String(h.value);
  }
  return { headers, body: Buffer.from(m.body).toString('utf8') };
}

function assertFraming(bytes: Buffer): void {
  const total = bytes.readUInt32BE(0);
  assert.equal(total, bytes.length, 'total length');
  assert.equal(bytes.readUInt32BE(8), referenceCrc32(bytes.subarray(0, 8)), 'prelude CRC');
  assert.equal(bytes.readUInt32BE(total - 4), referenceCrc32(bytes.subarray(0, total - 4)), 'message CRC');
}

const counters = { bytesScanned: 1234, bytesProcessed: 5678, bytesReturned: 90 };
const countersXml = (root: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><${root}><BytesScanned>1234</BytesScanned>` +
  `<BytesProcessed>5678</BytesProcessed><BytesReturned>90</BytesReturned></${root}>`;

const cases: Array<{ name: string; bytes: Buffer; headers: Record<string, string>; body: string }> = [
  {
    name: 'Records',
    bytes: recordsEvent(Buffer.from('a,b\n1,2\n')),
    headers: {
      ':event-type': 'Records',
      ':content-type': 'application/octet-stream',
      ':message-type': 'event',
    },
    body: 'a,b\n1,2\n',
  },
  {
    name: 'Records with UTF-8 payload',
    bytes: recordsEvent(Buffer.from('€,ü,日本\n')),
    headers: {
      ':event-type': 'Records',
      ':content-type': 'application/octet-stream',
      ':message-type': 'event',
    },
    body: '€,ü,日本\n',
  },
  {
    name: 'Stats',
    bytes: statsEvent(counters),
    headers: { ':event-type': 'Stats', ':content-type': 'text/xml', ':message-type': 'event' },
    body: countersXml('Stats'),
  },
  {
    name: 'Progress',
    bytes: progressEvent(counters),
    headers: { ':event-type': 'Progress', ':content-type': 'text/xml', ':message-type': 'event' },
    body: countersXml('Progress'),
  },
  {
    name: 'Cont',
    bytes: contEvent(),
    headers: { ':event-type': 'Cont', ':message-type': 'event' },
    body: '',
  },
  { name: 'End', bytes: endEvent(), headers: { ':event-type': 'End', ':message-type': 'event' }, body: '' },
  {
    name: 'error',
    bytes: errorEvent('CastFailed', 'Attempt to convert from one data type to another failed: "x" to INT.'),
    headers: {
      ':error-code': 'CastFailed',
      ':error-message': 'Attempt to convert from one data type to another failed: "x" to INT.',
      ':message-type': 'error',
    },
    body: '',
  },
];

describe('event-stream messages', () => {
  for (const c of cases) {
    it(`${c.name}: the SDK decodes the headers and payload, CRCs match`, () => {
      assertFraming(c.bytes);
      const got = decode(c.bytes);
      assert.deepEqual(got.headers, c.headers);
      assert.equal(got.body, c.body);
    });
  }

  it('header bytes: name length, name, type 7, uint16 value length, value', () => {
    const block = encodeHeaders([[':event-type', 'End']]);
    assert.deepEqual([...block], [11, ...Buffer.from(':event-type'), 7, 0, 3, ...Buffer.from('End')]);
  });

  it('an empty message is 16 bytes of overhead', () => {
    const m = encodeMessage(Buffer.alloc(0));
    assert.equal(m.length, 16);
    assertFraming(m);
  });

  it('a large payload (256 KiB) round-trips through the SDK decoder', () => {
    const payload = Buffer.alloc(256 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7919) & 0xff;
    const bytes = recordsEvent(payload);
    assertFraming(bytes);
    const m = codec.decode(bytes);
    assert.ok(Buffer.from(m.body).equals(payload));
  });

  it('a stream cut in odd-sized chunks is split by the SDK into the same messages, in order', async () => {
    const stream = Buffer.concat([
      recordsEvent(Buffer.from('x\n')),
      progressEvent(counters),
      statsEvent(counters),
      endEvent(),
    ]);
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < stream.length; i += 7) yield stream.subarray(i, i + 7);
    }
    const types: string[] = [];
    for await (const m of getChunkedStream(chunks()))
      types.push(decode(Buffer.from(m)).headers[':event-type']!);
    assert.deepEqual(types, ['Records', 'Progress', 'Stats', 'End']);
  });

  it('a flipped byte fails the SDK decoder', () => {
    const bytes = Buffer.from(recordsEvent(Buffer.from('hello')));
    bytes[20] = bytes[20]! ^ 0xff;
    assert.throws(() => codec.decode(bytes));
  });
});

describe('crc32', () => {
  const inputs = ['', 'a', '123456789', 'The quick brown fox jumps over the lazy dog', 'x'.repeat(100_000)];
  for (const s of inputs) {
    it(`matches the reference for ${JSON.stringify(s.slice(0, 20))}… (${s.length} bytes)`, () => {
      const b = Buffer.from(s);
      assert.equal(crc32(b), referenceCrc32(b));
    });
  }

  it('the check value of "123456789" is 0xCBF43926', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('continues from a previous CRC', () => {
    const a = Buffer.from('hello, ');
    const b = Buffer.from('world');
    assert.equal(crc32(b, crc32(a)), referenceCrc32(Buffer.concat([a, b])));
  });
});
