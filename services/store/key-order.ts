/**
 * S3 lists keys in UTF-8 binary order. That is the same as Unicode code point
 * order, but NOT JavaScript's UTF-16 code unit order: a character above U+FFFF
 * (a surrogate pair, units D800–DFFF) sorts after U+E000–U+FFFF in UTF-8.
 * SQLite's BINARY collation compares the UTF-8 bytes with memcmp, so queries
 * already return this order; these helpers are for bounds computed in JS.
 */

/** Compares two keys by their UTF-8 bytes, without encoding them. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate stands for a code point >= U+10000, greater than any BMP unit.
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string that starts with `prefix`
 * (undefined when there is none, e.g. for ""). Incrementing the last code point
 * works because UTF-8 keeps code point order and no encoding is a prefix of
 * another.
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const last = (cps.pop() as string).codePointAt(0) as number;
    let next = last + 1;
    if (next === 0xd800) next = 0xe000; // surrogates are not characters
    if (next <= 0x10ffff) return cps.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** A lower bound of a key range scan. */
export interface KeyBound {
  readonly value: string;
  readonly inclusive: boolean;
}

/** Where a listing starts: after `after` (exclusive), but never before `prefix`. */
export function startBound(prefix: string, after: string | undefined): KeyBound {
  if (after !== undefined && compareKeys(after, prefix) >= 0) return { value: after, inclusive: false };
  return { value: prefix, inclusive: true };
}

/** The common prefix `key` rolls up into, or undefined when it does not contain the delimiter past `prefix`. */
export function commonPrefixOf(
  key: string,
  prefix: string,
  delimiter: string | undefined,
): string | undefined {
  if (!delimiter) return undefined;
  const i = key.indexOf(delimiter, prefix.length);
  return i < 0 ? undefined : key.slice(0, i + delimiter.length);
}
