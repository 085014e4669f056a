/**
 * The pages of one column chunk, fetched through a window of
 * ParquetLimits.readWindowBytes so that memory stays bounded however large the
 * chunk, and each header checked (thrift bounds, sizes against the chunk and
 * the limits) before its page is read.
 * https://parquet.apache.org/docs/file-format/data-pages/
 */
import { parquetHeader } from 'hyparquet/src/column.js';
import type { PageHeader } from 'hyparquet';
import type { ScanCounters } from '../types.js';
import type { ChunkLocation } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { asParquetError, parquetParsingError } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';
import { ThriftBoundsError, thriftStructEnd } from './thrift-bounds.js';

export interface RawPage {
  readonly header: PageHeader;
  /** The page's (compressed) data. */
  readonly data: Uint8Array;
}

const FIRST_HEADER_GUESS = 4096;

/** The first read of a chunk (later ones double, up to ParquetLimits.readWindowBytes). */
export const FIRST_WINDOW_BYTES = 1024 * 1024;

function count(v: unknown, what: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw parquetParsingError(`page header: invalid ${what}`);
  }
  return v;
}

function checkHeader(h: PageHeader, remaining: number, limits: ParquetLimits): void {
  count(h.compressed_page_size, 'compressed size', remaining);
  count(h.uncompressed_page_size, 'uncompressed size', limits.maxPageBytes);
  const maxValues = limits.maxValuesPerPage;
  if (h.type === 'DATA_PAGE') {
    if (!h.data_page_header) throw parquetParsingError('data page without its header');
    count(h.data_page_header.num_values, 'value count', maxValues);
  } else if (h.type === 'DATA_PAGE_V2') {
    const v2 = h.data_page_header_v2;
    if (!v2) throw parquetParsingError('data page v2 without its header');
    const values = count(v2.num_values, 'value count', maxValues);
    count(v2.num_nulls, 'null count', values);
    count(v2.num_rows, 'row count', values);
    const levels =
      count(v2.definition_levels_byte_length, 'levels size', h.compressed_page_size) +
      count(v2.repetition_levels_byte_length, 'levels size', h.compressed_page_size);
    if (levels > h.compressed_page_size || levels > h.uncompressed_page_size) {
      throw parquetParsingError('page header: levels larger than the page');
    }
  } else if (h.type === 'DICTIONARY_PAGE') {
    if (!h.dictionary_page_header) throw parquetParsingError('dictionary page without its header');
    count(h.dictionary_page_header.num_values, 'dictionary size', maxValues);
  } else if (h.type !== 'INDEX_PAGE') {
    throw parquetParsingError('unknown page type');
  }
}

export class ChunkPages {
  private buf: Uint8Array = new Uint8Array(0);
  /** Starts small (a LIMIT may need one page) and doubles up to readWindowBytes. */
  private window = FIRST_WINDOW_BYTES;
  private bufStart: number;
  private pos: number;

  constructor(
    private readonly file: RandomAccessObject,
    private readonly chunk: ChunkLocation,
    private readonly limits: ParquetLimits,
    private readonly counters: ScanCounters,
  ) {
    this.bufStart = chunk.start;
    this.pos = chunk.start;
  }

  get done(): boolean {
    return this.pos >= this.chunk.end;
  }

  /** Makes [pos, pos + n) available in the buffer. */
  private async ensure(n: number): Promise<void> {
    const have = this.bufStart + this.buf.length - this.pos;
    if (have >= n) return;
    const from = this.pos - this.bufStart;
    const readStart = this.bufStart + this.buf.length;
    const readEnd = Math.min(this.chunk.end, this.pos + Math.max(n, this.window));
    this.window = Math.min(this.window * 2, this.limits.readWindowBytes);
    const fresh = await this.file.read(readStart, readEnd);
    if (have === 0) {
      // Nothing to carry over (the usual case at a page boundary): no copy.
      this.buf = fresh;
    } else {
      const next = new Uint8Array(have + fresh.length);
      next.set(this.buf.subarray(from), 0);
      next.set(fresh, have);
      this.buf = next;
    }
    this.bufStart = this.pos;
  }

  private async header(): Promise<PageHeader> {
    const remaining = this.chunk.end - this.pos;
    let want = Math.min(remaining, FIRST_HEADER_GUESS);
    for (;;) {
      await this.ensure(want);
      const at = this.pos - this.bufStart;
      try {
        const end = thriftStructEnd(this.buf, at, at + want, this.limits.maxNesting);
        const view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
        const reader = { view, offset: at };
        const header = parquetHeader(reader);
        if (reader.offset !== end) throw parquetParsingError('page header parse mismatch');
        this.pos += end - at;
        this.counters.bytesProcessed += end - at;
        return header;
      } catch (e) {
        const grow = e instanceof ThriftBoundsError && e.truncated && want < remaining;
        if (!grow)
          throw e instanceof ThriftBoundsError
            ? parquetParsingError(`page header: ${e.message}`, e)
            : asParquetError(e);
        if (want >= this.limits.maxPageHeaderBytes) throw parquetParsingError('page header too large');
        want = Math.min(remaining, want * 16, this.limits.maxPageHeaderBytes);
      }
    }
  }

  /** The next page, or undefined at the end of the chunk. */
  async next(): Promise<RawPage | undefined> {
    if (this.done) return undefined;
    const header = await this.header();
    checkHeader(header, this.chunk.end - this.pos, this.limits);
    const size = header.compressed_page_size;
    await this.ensure(size);
    const at = this.pos - this.bufStart;
    const data = this.buf.subarray(at, at + size);
    this.pos += size;
    return { header, data };
  }
}
