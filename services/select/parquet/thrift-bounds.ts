/**
 * A bounds check of thrift compact-protocol data (the encoding of Parquet's
 * footer and page headers) before the library parses it. The library trusts
 * lengths and list sizes, loops on varints of any length and recurses without
 * a limit; this walk rejects, in time linear in the input, every struct whose
 * lengths run past the end, whose varints are over-long, whose nesting is too
 * deep, or that uses a type Parquet never writes (set, map).
 * Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

const T_STOP = 0;
const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

export class ThriftBoundsError extends Error {
  override readonly name = 'ThriftBoundsError';
  /** The data ended inside the struct: more bytes might complete it. */
  readonly truncated: boolean;
  constructor(message: string, truncated = false) {
    super(message);
    this.truncated = truncated;
  }
}

interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
}

function varint(c: Cursor, maxBytes: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (c.pos >= c.end) throw new ThriftBoundsError('thrift varint runs past the end', true);
    const b = c.bytes[c.pos++]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
  throw new ThriftBoundsError('thrift varint too long');
}

function skip(c: Cursor, n: number): void {
  if (n > c.end - c.pos) throw new ThriftBoundsError('thrift value runs past the end', true);
  c.pos += n;
}

function element(c: Cursor, type: number, depth: number, maxDepth: number): void {
  switch (type) {
    case T_TRUE:
    case T_FALSE:
      return;
    case T_BYTE:
      return skip(c, 1);
    case T_I16:
    case T_I32:
      varint(c, 5);
      return;
    case T_I64:
      varint(c, 10);
      return;
    case T_DOUBLE:
      return skip(c, 8);
    case T_BINARY:
      // Lengths below 2^31 only: the parser reads them as int32.
      return skip(c, varint(c, 5));
    case T_LIST: {
      if (depth >= maxDepth) throw new ThriftBoundsError('thrift nesting too deep');
      if (c.pos >= c.end) throw new ThriftBoundsError('thrift list header runs past the end', true);
      const header = c.bytes[c.pos++]!;
      const elemType = header & 0x0f;
      const size = header >> 4 === 15 ? varint(c, 5) : header >> 4;
      // Every element takes at least one byte, so a size beyond the rest is a lie.
      if (size > c.end - c.pos) throw new ThriftBoundsError('thrift list size exceeds the data', true);
      for (let i = 0; i < size; i++) {
        if (elemType === T_TRUE || elemType === T_FALSE) skip(c, 1);
        else element(c, elemType, depth + 1, maxDepth);
      }
      return;
    }
    case T_STRUCT:
      return struct(c, depth + 1, maxDepth);
    default:
      throw new ThriftBoundsError(`thrift type ${type} not used by Parquet`);
  }
}

function struct(c: Cursor, depth: number, maxDepth: number): void {
  if (depth > maxDepth) throw new ThriftBoundsError('thrift nesting too deep');
  for (;;) {
    if (c.pos >= c.end) throw new ThriftBoundsError('thrift struct ended without STOP', true);
    const header = c.bytes[c.pos++]!;
    const type = header & 0x0f;
    if (type === T_STOP) return;
    if (header >> 4 === 0) varint(c, 5); // long-form field id
    element(c, type, depth, maxDepth);
  }
}

/**
 * Checks the struct that starts at `start` and returns the offset just past it.
 * Throws ThriftBoundsError when it does not fit in [start, end).
 */
export function thriftStructEnd(bytes: Uint8Array, start: number, end: number, maxDepth: number): number {
  const c: Cursor = { bytes, pos: start, end: Math.min(end, bytes.length) };
  struct(c, 0, maxDepth);
  return c.pos;
}
