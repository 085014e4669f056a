/** A cursor over the token list, with the small helpers the parser needs. */
import type { S3ErrorCode } from '../../../shared/errors.js';
import type { Token, TokenType } from './lexer-types.js';
import { parseError } from './sql-error.js';

export class TokenCursor {
  private i = 0;
  /** Nesting of expressions being parsed (see MAX_EXPRESSION_DEPTH). */
  depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
    return t!;
  }

  next(): Token {
    const t = this.peek();
    if (t.type !== 'EOF') this.i++;
    return t;
  }

  isKeyword(kw: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'KEYWORD' && t.value === kw;
  }

  isType(type: TokenType, ahead = 0): boolean {
    return this.peek(ahead).type === type;
  }

  isOperator(op: string): boolean {
    const t = this.peek();
    return t.type === 'OPERATOR' && t.value === op;
  }

  /** Consumes the keyword if it is next. */
  acceptKeyword(kw: string): boolean {
    if (!this.isKeyword(kw)) return false;
    this.i++;
    return true;
  }

  accept(type: TokenType): Token | undefined {
    if (!this.isType(type)) return undefined;
    return this.next();
  }

  expectKeyword(kw: string, code: S3ErrorCode = 'ParseExpectedKeyword'): Token {
    if (!this.isKeyword(kw)) throw parseError(code, this.peek(), `Expected ${kw}.`);
    return this.next();
  }

  expect(type: TokenType, code: S3ErrorCode = 'ParseExpectedTokenType'): Token {
    if (!this.isType(type)) throw parseError(code, this.peek(), `Expected ${type}.`);
    return this.next();
  }
}
