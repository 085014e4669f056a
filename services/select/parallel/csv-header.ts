/**
 * FileHeaderInfo USE in a parallel scan: the header is the object's first
 * record, so every piece but the first gets the object's opening bytes through
 * that record, and its reader reads the header from them (as it does for a
 * ScanRange that starts past byte 0).
 */
import type { CsvInputOptions } from '../types.js';

const BLANK = new Set([0x20, 0x09, 0x0d, 0x0a]);

/** True when the line holds nothing but spaces, tabs and CR. */
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) if (!BLANK.has(line[i]!)) return false;
  return true;
}

/**
 * The opening bytes of the object (`first`, the first piece) through the end
 * of its first line that is neither blank nor a comment: blank and comment
 * lines are skipped by the reader, and it stops after the first record, so
 * any extra lines included are harmless. The whole piece when no such line
 * ends in it.
 */
export function csvHeaderPrefix(first: Buffer, csv: CsvInputOptions | undefined): Buffer {
  if (csv === undefined) return Buffer.alloc(0);
  const delimiter = Buffer.from(csv.recordDelimiter, 'utf8');
  const comment = csv.comments === '' ? undefined : Buffer.from(csv.comments, 'utf8');
  let from = 0;
  for (;;) {
    const at = first.indexOf(delimiter, from);
    if (at === -1) return Buffer.from(first);
    const line = first.subarray(from === 0 && isBom(first) ? 3 : from, at);
    from = at + delimiter.length;
    if (isBlank(line)) continue;
    if (comment !== undefined && line.subarray(0, comment.length).equals(comment)) continue;
    return Buffer.from(first.subarray(0, from));
  }
}

function isBom(b: Buffer): boolean {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}
