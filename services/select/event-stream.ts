/**
 * The AWS binary event stream (application/vnd.amazon.eventstream) that a
 * SelectObjectContent response body is made of:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
 *
 *   message  = prelude | headers | payload | message CRC
 *   prelude  = total length (uint32 BE) | headers length (uint32 BE) | prelude CRC
 *   header   = name length (uint8) | name | type 7 (string) | value length (uint16 BE) | value
 *
 * Both CRCs are CRC-32 (the gzip one, RFC 1952); the message CRC covers
 * everything before it, prelude CRC included. S3 Select only ever uses
 * string header values (type 7).
 */
import zlib from 'node:zlib';
import type { ScanCounters } from './types.js';

const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;
const STRING_TYPE = 7;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32Table(data: Uint8Array, start = 0): number {
  let c = ~start >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// zlib.crc32 is native (node ≥ 20.15); the table is the fallback for older 20.x.
const nativeCrc32 = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

/** CRC-32 of `data`, continuing from `start` (the CRC of what came before). */
export function crc32(data: Uint8Array, start = 0): number {
  return nativeCrc32 ? nativeCrc32(data, start) >>> 0 : crc32Table(data, start);
}

export type EventHeaders = ReadonlyArray<readonly [name: string, value: string]>;

/** The encoded header block (names and values are ASCII in S3 Select, but UTF-8 is handled). */
export function encodeHeaders(headers: EventHeaders): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    if (n.length > 255) throw new RangeError(`event-stream header name too long: ${name}`);
    const valueBytes = v.length > 0xffff ? v.subarray(0, 0xffff) : v;
    const h = Buffer.allocUnsafe(1 + n.length + 1 + 2);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(STRING_TYPE, 1 + n.length);
    h.writeUInt16BE(valueBytes.length, 2 + n.length);
    parts.push(h, valueBytes);
  }
  return Buffer.concat(parts);
}

/** One message from an already encoded header block and a payload. */
export function encodeMessage(headerBlock: Buffer, payload: Uint8Array = EMPTY): Buffer {
  const total = PRELUDE_BYTES + headerBlock.length + payload.length + CRC_BYTES;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBlock.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBlock.copy(out, PRELUDE_BYTES);
  out.set(payload, PRELUDE_BYTES + headerBlock.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return out;
}

const EMPTY = new Uint8Array(0);

const RECORDS_HEADERS = encodeHeaders([
  [':event-type', 'Records'],
  [':content-type', 'application/octet-stream'],
  [':message-type', 'event'],
]);
const STATS_HEADERS = encodeHeaders([
  [':event-type', 'Stats'],
  [':content-type', 'text/xml'],
  [':message-type', 'event'],
]);
const PROGRESS_HEADERS = encodeHeaders([
  [':event-type', 'Progress'],
  [':content-type', 'text/xml'],
  [':message-type', 'event'],
]);
const CONT_MESSAGE = encodeMessage(
  encodeHeaders([
    [':event-type', 'Cont'],
    [':message-type', 'event'],
  ]),
);
const END_MESSAGE = encodeMessage(
  encodeHeaders([
    [':event-type', 'End'],
    [':message-type', 'event'],
  ]),
);

/** A Records event carrying a piece of the output (records may span events). */
export function recordsEvent(payload: Uint8Array): Buffer {
  return encodeMessage(RECORDS_HEADERS, payload);
}

function countersXml(root: 'Stats' | 'Progress', c: ScanCounters): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><${root}>` +
      `<BytesScanned>${c.bytesScanned}</BytesScanned>` +
      `<BytesProcessed>${c.bytesProcessed}</BytesProcessed>` +
      `<BytesReturned>${c.bytesReturned}</BytesReturned>` +
      `</${root}>`,
    'utf8',
  );
}

/** The Stats event sent once, after the last Records event and before End. */
export function statsEvent(counters: ScanCounters): Buffer {
  return encodeMessage(STATS_HEADERS, countersXml('Stats', counters));
}

/** A Progress event (sent only when the request set RequestProgress Enabled). */
export function progressEvent(counters: ScanCounters): Buffer {
  return encodeMessage(PROGRESS_HEADERS, countersXml('Progress', counters));
}

/** Cont: a keep-alive sent while a long scan has nothing else to say. */
export function contEvent(): Buffer {
  return CONT_MESSAGE;
}

/** End: the request completed; nothing follows. */
export function endEvent(): Buffer {
  return END_MESSAGE;
}

/** A request-level error found after the 200 was sent; it ends the stream. */
export function errorEvent(code: string, message: string): Buffer {
  return encodeMessage(
    encodeHeaders([
      [':error-code', code],
      [':error-message', message],
      [':message-type', 'error'],
    ]),
  );
}
