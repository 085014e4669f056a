/**
 * The RLE / bit-packing hybrid (rle.ts) decoded a few values at a time, so
 * that a dictionary page's indices are decoded slice by slice, as the rows
 * are taken, into a small buffer that is still in cache when the query reads
 * it (instead of a page-sized array decoded up front). The same checks as
 * decodeHybrid: every run is bounded by the bytes that remain and by the
 * values asked for.
 */
import { parquetParsingError } from './parquet-errors.js';
import { readUleb, unpack, type ByteCursor } from './rle.js';

export class HybridStream {
  /** Values left in the current run. */
  private left = 0;
  private packed = false;
  /** The value of the current RLE run. */
  private value = 0;
  /** The rest of a bit-packed group that a read ended inside of. */
  private readonly carry = new Int32Array(8);
  private carryAt = 0;
  private carryEnd = 0;
  private readonly byteWidth: number;

  constructor(
    private readonly c: ByteCursor,
    private readonly bitWidth: number,
  ) {
    if (bitWidth < 0 || bitWidth > 32) throw parquetParsingError(`bit width ${bitWidth} out of range`);
    this.byteWidth = (bitWidth + 7) >> 3;
  }

  /** Decodes the next `count` values into out[0..count); returns the largest. */
  read(out: Int32Array, count: number): number {
    if (count > out.length) throw parquetParsingError('hybrid decode past the output');
    let n = 0;
    let max = 0;
    while (n < count && this.carryAt < this.carryEnd) {
      const v = this.carry[this.carryAt++]!;
      out[n++] = v;
      if (v > max) max = v;
    }
    while (n < count) {
      if (this.left === 0) this.nextRun();
      const want = Math.min(this.left, count - n);
      if (!this.packed) {
        out.fill(this.value, n, n + want);
        if (this.value > max) max = this.value;
        n += want;
        this.left -= want;
        continue;
      }
      const whole = want & ~7;
      if (whole > 0) {
        const bytes = (whole >> 3) * this.bitWidth;
        if (bytes > this.c.end - this.c.pos)
          throw parquetParsingError('bit-packed run runs past the end of the page');
        max = Math.max(max, unpack(this.c.bytes, this.c.pos, this.bitWidth, out, n, whole));
        this.c.pos += bytes;
        n += whole;
        this.left -= whole;
      } else {
        // Part of a group: decode the group (its bytes may be cut short at
        // the end of the page) and keep the rest for the next read.
        const avail = Math.min(this.bitWidth, this.c.end - this.c.pos);
        const decodable = this.bitWidth === 0 ? 8 : Math.min(8, Math.floor((avail * 8) / this.bitWidth));
        if (decodable < want) throw parquetParsingError('bit-packed run runs past the end of the page');
        unpack(this.c.bytes, this.c.pos, this.bitWidth, this.carry, 0, decodable);
        this.c.pos += avail;
        this.left -= 8;
        this.carryAt = 0;
        this.carryEnd = decodable;
        while (n < count && this.carryAt < this.carryEnd) {
          const v = this.carry[this.carryAt++]!;
          out[n++] = v;
          if (v > max) max = v;
        }
      }
    }
    return max;
  }

  private nextRun(): void {
    const header = readUleb(this.c);
    if ((header & 1) === 1) {
      this.packed = true;
      this.left = Math.floor(header / 2) * 8;
      return;
    }
    if (this.byteWidth > this.c.end - this.c.pos)
      throw parquetParsingError('RLE run runs past the end of the page');
    let value = 0;
    for (let i = 0; i < this.byteWidth; i++) value += this.c.bytes[this.c.pos + i]! * 2 ** (8 * i);
    this.c.pos += this.byteWidth;
    this.packed = false;
    this.value = value;
    this.left = Math.floor(header / 2);
  }
}

/** A dictionary page's indices, read slice by slice and checked against the dictionary's size. */
export class DictionaryIndexStream {
  private readonly stream: HybridStream | undefined;
  private readonly width: number;

  constructor(
    c: ByteCursor,
    private remaining: number,
    private readonly size: number,
  ) {
    if (c.pos >= c.end) {
      if (remaining > 0) throw parquetParsingError('dictionary indices missing');
      this.width = 0;
      this.stream = undefined;
      return;
    }
    this.width = c.bytes[c.pos++]!;
    this.stream = new HybridStream(c, this.width);
  }

  /** The next `count` indices into out[0..count). */
  read(out: Int32Array, count: number): void {
    if (count > this.remaining) throw parquetParsingError('more dictionary indices asked than the page has');
    this.remaining -= count;
    if (count === 0) return;
    // Width 32 may decode to negative int32s; anything ≥ the size is out of range.
    const max = this.stream!.read(out, count);
    if (max >= this.size || (this.width === 32 && out.subarray(0, count).some((v) => v < 0))) {
      throw parquetParsingError('dictionary index out of range');
    }
  }
}
