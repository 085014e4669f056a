/**
 * LIKE patterns, compiled once: % matches any run of characters, _ exactly one
 * character (a code point), and ESCAPE names a character that makes the next
 * %, _ or itself literal. Common shapes become string tests: 'abc' (equality),
 * 'abc%' (prefix), '%abc' (suffix), '%abc%' (includes). Other patterns are
 * matched segment by segment (the parts between the %s, each placed at its
 * leftmost fit), not with a RegExp: a backtracking RegExp like ^.*a.*a.*a.*b$
 * takes exponential time on a long field, and the pattern comes from the
 * request.
 */
import { evalError } from './sql-error.js';

export type LikeMatcher = (s: string) => boolean;

interface Piece {
  readonly literal: boolean;
  readonly text: string; // literal text, or '%' / '_'
}

function splitPattern(pattern: string, escape: string | undefined): Piece[] {
  const pieces: Piece[] = [];
  let lit = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== undefined && c === escape) {
      const next = chars[i + 1];
      if (next === undefined || (next !== '%' && next !== '_' && next !== escape)) {
        throw evalError(
          'EvaluatorLikePatternInvalidEscapeSequence',
          `Invalid escape sequence in LIKE pattern '${pattern}'.`,
        );
      }
      lit += next;
      i++;
    } else if (c === '%' || c === '_') {
      if (lit !== '') pieces.push({ literal: true, text: lit });
      lit = '';
      // Collapse %% into one %.
      if (!(c === '%' && pieces.at(-1)?.text === '%' && !pieces.at(-1)!.literal))
        pieces.push({ literal: false, text: c });
    } else {
      lit += c;
    }
  }
  if (lit !== '') pieces.push({ literal: true, text: lit });
  return pieces;
}

export function checkEscape(escape: string): string {
  if (Array.from(escape).length !== 1) {
    throw evalError(
      'EvaluatorLikePatternInvalidEscapeSequence',
      'The ESCAPE of LIKE must be a single character.',
    );
  }
  return escape;
}

export function compileLike(pattern: string, escape: string | undefined): LikeMatcher {
  if (escape !== undefined) checkEscape(escape);
  const pieces = splitPattern(pattern, escape);
  const isPct = (p: Piece | undefined) => p !== undefined && !p.literal && p.text === '%';
  const only = pieces[0];
  if (pieces.length === 0) return (s) => s === '';
  if (pieces.length === 1 && only!.literal) {
    const t = only!.text;
    return (s) => s === t;
  }
  if (pieces.length === 1 && isPct(only)) return () => true;
  if (pieces.length === 2 && pieces[0]!.literal && isPct(pieces[1])) {
    const t = pieces[0]!.text;
    return (s) => s.startsWith(t);
  }
  if (pieces.length === 2 && isPct(pieces[0]) && pieces[1]!.literal) {
    const t = pieces[1]!.text;
    return (s) => s.endsWith(t);
  }
  if (pieces.length === 3 && isPct(pieces[0]) && pieces[1]!.literal && isPct(pieces[2])) {
    const t = pieces[1]!.text;
    return (s) => s.includes(t);
  }
  return segmentMatcher(pieces);
}

/** A segment between %s: literal characters and _ (ANY). */
const ANY = null;
type Segment = (string | typeof ANY)[];

function segmentsOf(pieces: readonly Piece[]): Segment[] {
  const segments: Segment[] = [[]];
  for (const p of pieces) {
    if (p.literal) segments.at(-1)!.push(...Array.from(p.text));
    else if (p.text === '_') segments.at(-1)!.push(ANY);
    else segments.push([]);
  }
  return segments;
}

function matchAt(s: readonly string[] | string, pos: number, seg: Segment): boolean {
  if (pos + seg.length > s.length) return false;
  for (let k = 0; k < seg.length; k++) {
    const c = seg[k];
    if (c !== ANY && s[pos + k] !== c) return false;
  }
  return true;
}

function find(s: readonly string[] | string, from: number, seg: Segment): number {
  for (let pos = from; pos + seg.length <= s.length; pos++) if (matchAt(s, pos, seg)) return pos;
  return -1;
}

/**
 * The first segment must match at the start and the last at the end; the
 * middle ones, in order, at their leftmost positions (which is always right
 * when only % separates them). Time: length × pattern length at worst.
 */
function segmentMatcher(pieces: readonly Piece[]): LikeMatcher {
  const segments = segmentsOf(pieces);
  const first = segments[0]!;
  const last = segments.at(-1)!;
  const middle = segments.slice(1, -1);
  const single = segments.length === 1;
  // One code point per element; plain strings work when there are no surrogate pairs.
  const units = (s: string): readonly string[] | string => (/[\ud800-\udfff]/.test(s) ? Array.from(s) : s);
  return (str) => {
    const s = units(str);
    if (single) return s.length === first.length && matchAt(s, 0, first);
    if (!matchAt(s, 0, first)) return false;
    let pos = first.length;
    for (const seg of middle) {
      const at = find(s, pos, seg);
      if (at < 0) return false;
      pos = at + seg.length;
    }
    const end = s.length - last.length;
    return end >= pos && matchAt(s, end, last);
  };
}
