/** Token types, named as S3 names them in the TokenType element of parse errors. */
export type TokenType =
  | 'KEYWORD'
  | 'IDENTIFIER'
  | 'QUOTED_IDENTIFIER'
  | 'LITERAL'
  | 'ION_LITERAL'
  | 'OPERATOR'
  | 'STAR'
  | 'DOT'
  | 'COMMA'
  | 'LEFT_PAREN'
  | 'RIGHT_PAREN'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'SEMICOLON'
  | 'EOF';

export interface Token {
  readonly type: TokenType;
  /** The source text of the token (for parse error details). */
  readonly text: string;
  /**
   * KEYWORD: the upper-cased keyword. IDENTIFIER: the name as written.
   * QUOTED_IDENTIFIER / string LITERAL: the unescaped content. Number LITERAL:
   * the digits. OPERATOR: the operator.
   */
  readonly value: string;
  /** LITERAL only: 'string' or 'number'. */
  readonly literal?: 'string' | 'number';
  /** 1-based line and column of the token's first character. */
  readonly line: number;
  readonly column: number;
}
