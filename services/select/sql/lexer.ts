/**
 * The lexer of the S3 Select dialect. Positions are 1-based line and column
 * (in characters), which parse errors report as S3 does.
 */
import { RESERVED_KEYWORDS } from './keywords.js';
import type { Token, TokenType } from './lexer-types.js';
import { lexError } from './sql-error.js';

/** Operators, longest first so that `<=` wins over `<`. */
const OPERATORS = ['<>', '<=', '>=', '!=', '||', '==', '=', '<', '>', '+', '-', '/', '%'];
/** Characters that only ever start an operator S3 does not know (ParseUnknownOperator). */
const UNKNOWN_OPERATOR_CHARS = '!^&|~';

const PUNCTUATION: Record<string, TokenType> = {
  '(': 'LEFT_PAREN',
  ')': 'RIGHT_PAREN',
  '[': 'LEFT_BRACKET',
  ']': 'RIGHT_BRACKET',
  ',': 'COMMA',
  '*': 'STAR',
  ';': 'SEMICOLON',
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = sql.length;
  const pos = (at: number) => ({ line, column: at - lineStart + 1 });
  const push = (
    type: TokenType,
    start: number,
    end: number,
    value: string,
    literal?: 'string' | 'number',
  ) => {
    const p = pos(start);
    tokens.push({ type, text: sql.slice(start, end), value, literal, line: p.line, column: p.column });
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    // Whitespace and line breaks.
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    // Comments: -- to end of line, /* … */.
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const start = pos(i);
      const end = sql.indexOf('*/', i + 2);
      if (end < 0)
        throw lexError(
          'LexerInvalidLiteral',
          start,
          'COMMENT',
          sql.slice(i, i + 20),
          'Unterminated comment.',
        );
      for (let k = i; k < end; k++) {
        if (sql.charCodeAt(k) === 10) {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(sql.charCodeAt(i))) i++;
      const word = sql.slice(start, i);
      const upper = word.toUpperCase();
      if (RESERVED_KEYWORDS.has(upper)) push('KEYWORD', start, i, upper);
      else push('IDENTIFIER', start, i, word);
      continue;
    }
    // A '.' followed by a digit is a number, unless it follows something a path can continue (s.1).
    const prev = tokens[tokens.length - 1];
    const afterPathable =
      prev !== undefined &&
      (prev.type === 'IDENTIFIER' ||
        prev.type === 'QUOTED_IDENTIFIER' ||
        prev.type === 'KEYWORD' ||
        prev.type === 'RIGHT_BRACKET' ||
        prev.type === 'RIGHT_PAREN');
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)) && !afterPathable)) {
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      if (sql.charCodeAt(i) === 46) {
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
      const e = sql.charCodeAt(i);
      if (e === 101 || e === 69) {
        i++;
        const s = sql.charCodeAt(i);
        if (s === 43 || s === 45) i++;
        if (!isDigit(sql.charCodeAt(i))) {
          throw lexError(
            'LexerInvalidLiteral',
            pos(start),
            'LITERAL',
            sql.slice(start, i + 1),
            'Invalid number literal.',
          );
        }
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
      if (i < n && isIdentStart(sql.charCodeAt(i))) {
        let k = i;
        while (k < n && isIdentPart(sql.charCodeAt(k))) k++;
        throw lexError(
          'LexerInvalidLiteral',
          pos(start),
          'LITERAL',
          sql.slice(start, k),
          'Invalid number literal.',
        );
      }
      push('LITERAL', start, i, sql.slice(start, i), 'number');
      continue;
    }
    if (c === 39 || c === 34 || c === 96) {
      // 'string', "quoted identifier", `ion literal`: a doubled quote escapes it (not in backticks).
      const quote = sql[i]!;
      const p = pos(start);
      let value = '';
      i++;
      for (;;) {
        if (i >= n) {
          const type = c === 39 ? 'LITERAL' : c === 34 ? 'QUOTED_IDENTIFIER' : 'ION_LITERAL';
          throw lexError(
            'LexerInvalidLiteral',
            p,
            type,
            sql.slice(start, start + 64),
            'Unterminated literal.',
          );
        }
        const ch = sql[i]!;
        if (ch === quote) {
          if (c !== 96 && sql[i + 1] === quote) {
            value += quote;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\n') {
          value += ch;
          i++;
          line++;
          lineStart = i;
          continue;
        }
        value += ch;
        i++;
      }
      // Positions of a multi-line literal are those of its first character.
      const text = sql.slice(start, i);
      if (c === 39) tokens.push({ type: 'LITERAL', text, value, literal: 'string', ...p });
      else if (c === 34) tokens.push({ type: 'QUOTED_IDENTIFIER', text, value, ...p });
      else tokens.push({ type: 'ION_LITERAL', text, value, ...p });
      continue;
    }
    if (c === 46) {
      i++;
      push('DOT', start, i, '.');
      continue;
    }
    const punct = PUNCTUATION[sql[i]!];
    if (punct !== undefined) {
      i++;
      push(punct, start, i, sql[start]!);
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op !== undefined) {
      i += op.length;
      push('OPERATOR', start, i, op);
      continue;
    }
    if (UNKNOWN_OPERATOR_CHARS.includes(sql[i]!)) {
      while (i < n && (UNKNOWN_OPERATOR_CHARS + '<>=').includes(sql[i]!)) i++;
      push('OPERATOR', start, i, sql.slice(start, i));
      continue;
    }
    const cp = sql.codePointAt(i)!;
    throw lexError(
      'LexerInvalidChar',
      pos(i),
      'UNKNOWN',
      String.fromCodePoint(cp),
      'Invalid character in the SQL expression.',
    );
  }
  const p = pos(i);
  tokens.push({ type: 'EOF', text: '<EOF>', value: '', line: p.line, column: p.column });
  return tokens;
}
