/**
 * One page of a key-ordered listing with S3's delimiter roll-up, shared by
 * ListObjects, ListObjectVersions and ListMultipartUploads.
 *
 * Rows come from `scan(from)` in key order (rows of one key adjacent). With a
 * delimiter, a key containing it past the prefix rolls up into a common prefix
 * that counts once toward maxKeys; the scan then seeks past every key under that
 * prefix (prefixSuccessor) instead of stepping over them row by row.
 * isTruncated is true only when another entry really exists.
 */
import { commonPrefixOf, prefixSuccessor, startBound, type KeyBound } from './key-order.js';

export interface PageRequest<R> {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  readonly start: KeyBound;
  /** Rows to emit before scanning (e.g. the rest of the marker key's versions). */
  readonly head?: Iterable<R>;
  readonly keyOf: (row: R) => string;
  /** Rows with keys from `from`, below the prefix's successor, in order. */
  readonly scan: (from: KeyBound) => Iterator<R>;
}

export interface Page<R> {
  readonly rows: R[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** The last entry returned: a row or a common prefix. */
  readonly last: { row: R } | { prefix: string } | undefined;
}

function close(it: Iterator<unknown>): void {
  it.return?.();
}

export function listPage<R>(req: PageRequest<R>): Page<R> {
  const rows: R[] = [];
  const commonPrefixes: string[] = [];
  let last: Page<R>['last'];
  if (req.maxKeys <= 0) return { rows, commonPrefixes, isTruncated: false, last };
  let count = 0;
  // Returns true when the page is full and another entry exists.
  const take = (row: R): { truncated: boolean; seek?: KeyBound | null } => {
    const cp = commonPrefixOf(req.keyOf(row), req.prefix, req.delimiter);
    if (count === req.maxKeys) return { truncated: true };
    count++;
    if (cp === undefined) {
      rows.push(row);
      last = { row };
      return { truncated: false };
    }
    commonPrefixes.push(cp);
    last = { prefix: cp };
    const next = prefixSuccessor(cp);
    return { truncated: false, seek: next === undefined ? null : { value: next, inclusive: true } };
  };

  if (req.head) {
    for (const row of req.head) {
      const r = take(row);
      if (r.truncated) return { rows, commonPrefixes, isTruncated: true, last };
    }
  }
  let from: KeyBound | null = req.start;
  while (from) {
    const it = req.scan(from);
    from = null;
    try {
      for (let n = it.next(); !n.done; n = it.next()) {
        const r = take(n.value);
        if (r.truncated) return { rows, commonPrefixes, isTruncated: true, last };
        if (r.seek !== undefined) {
          from = r.seek;
          break;
        }
      }
    } finally {
      close(it);
    }
  }
  return { rows, commonPrefixes, isTruncated: false, last };
}

/**
 * Where a listing that resumes after `marker` starts. A marker that is itself a
 * common prefix (what a previous page returned last) skips everything under it.
 */
export function resumeBound(
  prefix: string,
  delimiter: string | undefined,
  marker: string | undefined,
): KeyBound {
  if (
    marker !== undefined &&
    marker.startsWith(prefix) &&
    commonPrefixOf(marker, prefix, delimiter) === marker
  ) {
    const next = prefixSuccessor(marker);
    if (next !== undefined) return { value: next, inclusive: true };
  }
  return startBound(prefix, marker);
}
