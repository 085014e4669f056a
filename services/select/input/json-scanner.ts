/**
 * Finds where each top-level JSON value of a stream begins and ends, without
 * parsing it: a scanner that tracks only string state and bracket depth, so
 * it never recurses and never holds more than the value in progress. Each
 * value's text then goes to JSON.parse (native, fast, and the validator).
 * Depth past SELECT_LIMITS.maxJsonDepth is refused here, before any parse.
 */
import { errors } from '../../../shared/errors.js';
import { SELECT_LIMITS } from '../types.js';

/** Receives each top-level value's text; false = stop. */
export type ValueHandler = (text: string) => boolean;

const QUOTE = 34;
const BACKSLASH = 92;

function lastNonSpace(text: string, from: number, to: number): number {
  let e = to - 1;
  while (e > from && isSpace(text.charCodeAt(e))) e--;
  return text.charCodeAt(e);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Characters that end a bare top-level scalar (number, true, false, null). */
function endsScalar(c: number): boolean {
  return isSpace(c) || c === 123 || c === 91 || c === 125 || c === 93 || c === 44 || c === QUOTE;
}

/**
 * The index of the quote that closes the string whose contents start at
 * `from`, or -1 if the text ends first.
 */
export function stringEnd(text: string, from: number): number {
  let j = from;
  for (;;) {
    const k = text.indexOf('"', j);
    if (k === -1) return -1;
    let b = k - 1;
    while (b >= from && text.charCodeAt(b) === BACKSLASH) b--;
    if ((k - 1 - b) % 2 === 0) return k;
    j = k + 1;
  }
}

/** True when the JSON text in [from, to) nests deeper than `max` (strings are skipped). */
export function nestsDeeperThan(text: string, from: number, to: number, max: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const k = stringEnd(text, i + 1);
      if (k === -1 || k >= to) return false;
      i = k;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}

export class JsonValueScanner {
  private carry = '';
  /** Scan state at the end of the carried text (which starts at the value in progress). */
  private depth = 0;
  private resume = 0;
  private inValue = false;

  /**
   * `onLine`, if given, is offered a whole line that starts a value and ends
   * with "}": it returns true/false (taken; continue or stop) when the line is
   * exactly one value, or undefined to let the scanner find the value's end.
   */
  constructor(
    private readonly onValue: ValueHandler,
    private readonly onLine?: (line: string) => boolean | undefined,
    private readonly maxChars: number = SELECT_LIMITS.maxRecordBytes,
    private readonly maxDepth: number = SELECT_LIMITS.maxJsonDepth,
  ) {}

  push(chunk: string): boolean {
    return this.run(this.carry.length > 0 ? this.carry + chunk : chunk, false);
  }

  end(): boolean {
    const text = this.carry;
    this.carry = '';
    return text.length === 0 ? true : this.run(text, true);
  }

  private run(text: string, final: boolean): boolean {
    const n = text.length;
    let start = 0; // where the value in progress begins
    let i = this.resume;
    let depth = this.depth;
    let inValue = this.inValue;
    for (;;) {
      if (!inValue) {
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (i >= n) {
          start = n;
          break;
        }
        start = i;
        const c = text.charCodeAt(i);
        if (c === 123 && this.onLine !== undefined) {
          // One value per line (the usual layout): try the line as a whole.
          const nl = text.indexOf('\n', i);
          if (nl !== -1 && nl - i <= this.maxChars && lastNonSpace(text, i, nl) === 125) {
            const r = this.onLine(text.slice(i, nl));
            if (r === false) return this.stop();
            if (r === true) {
              i = nl + 1;
              continue;
            }
          }
        }
        inValue = true;
        depth = 0;
        if (c === 125 || c === 93 || c === 44 || c === 58) throw errors.make('JSONParsingError');
        if (c !== 123 && c !== 91 && c !== QUOTE) {
          // A bare scalar: up to the next separator.
          let j = i + 1;
          while (j < n && !endsScalar(text.charCodeAt(j))) j++;
          if (j === n && !final) {
            inValue = false; // rescan the scalar from its start with the next chunk
            i = start;
            break;
          }
          if (!this.emit(text, start, j)) return this.stop();
          inValue = false;
          i = j;
          continue;
        }
      }
      // Inside a string or container that began at `start`; `i` is the next unscanned char.
      let done = -1;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          const k = stringEnd(text, i + 1);
          if (k === -1) break; // the string goes on in the next chunk: rescan it then
          i = k;
          if (depth === 0) {
            done = k + 1;
            break;
          }
        } else if (c === 123 || c === 91) {
          if (++depth > this.maxDepth) throw errors.make('JSONParsingError', 'The JSON nests too deeply.');
        } else if (c === 125 || c === 93) {
          if (--depth === 0) {
            done = i + 1;
            break;
          }
        }
      }
      if (done === -1) {
        if (final) throw errors.make('JSONParsingError');
        break;
      }
      if (done - start > this.maxChars) throw errors.make('OverMaxRecordSize');
      if (!this.emit(text, start, done)) return this.stop();
      inValue = false;
      i = done;
    }
    if (start < n) {
      this.carry = text.slice(start);
      if (this.carry.length > this.maxChars) throw errors.make('OverMaxRecordSize');
      this.resume = i - start;
    } else {
      this.carry = '';
      this.resume = 0;
    }
    this.depth = depth;
    this.inValue = inValue;
    return true;
  }

  private emit(text: string, from: number, to: number): boolean {
    if (to - from > this.maxChars) throw errors.make('OverMaxRecordSize');
    return this.onValue(text.slice(from, to));
  }

  private stop(): boolean {
    this.carry = '';
    return false;
  }
}
