/**
 * Reflected CRC-32 variants, slicing-by-8 (eight 256-entry tables, eight bytes
 * per step). CRC32 uses node's native zlib.crc32 when it exists (node >= 20.15).
 */
import zlib from 'node:zlib';

export type CrcUpdate = (crc: number, data: Uint8Array) => number;

function makeTables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = tables[0] as Uint32Array;
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[i] = c >>> 0;
  }
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1] as Uint32Array;
    const cur = tables[t] as Uint32Array;
    for (let i = 0; i < 256; i++) {
      const p = prev[i] as number;
      cur[i] = ((p >>> 8) ^ (t0[p & 0xff] as number)) >>> 0;
    }
  }
  return tables;
}

/** Builds an incremental CRC function: crc = update(crc, bytes), starting from 0. */
export function makeCrc(poly: number): CrcUpdate {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = makeTables(poly) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  return (crc, buf) => {
    let c = ~crc;
    let i = 0;
    const len = buf.length;
    while (len - i >= 8) {
      const a =
        c ^
        ((buf[i] as number) |
          ((buf[i + 1] as number) << 8) |
          ((buf[i + 2] as number) << 16) |
          ((buf[i + 3] as number) << 24));
      c =
        (t7[a & 0xff] as number) ^
        (t6[(a >>> 8) & 0xff] as number) ^
        (t5[(a >>> 16) & 0xff] as number) ^
        (t4[a >>> 24] as number) ^
        (t3[buf[i + 4] as number] as number) ^
        (t2[buf[i + 5] as number] as number) ^
        (t1[buf[i + 6] as number] as number) ^
        (t0[buf[i + 7] as number] as number);
      i += 8;
    }
    while (i < len) c = (t0[(c ^ (buf[i++] as number)) & 0xff] as number) ^ (c >>> 8);
    return ~c >>> 0;
  };
}

/** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78. */
export const crc32c: CrcUpdate = makeCrc(0x82f63b78);

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 (IEEE 802.3), reflected polynomial 0xEDB88320. */
export const crc32: CrcUpdate = nativeCrc32 ? (crc, buf) => nativeCrc32(buf, crc) : makeCrc(0xedb88320);
