/**
 * Errors of the SQL engine. Parse errors carry the position the way S3 puts
 * it in the error XML: Line, Column, TokenType, TokenValue elements.
 */
import { errors, type S3Error, type S3ErrorCode } from '../../../shared/errors.js';
import type { Token } from './lexer-types.js';

/** A parse/compile error at a token. */
export function parseError(code: S3ErrorCode, token: Token, message?: string): S3Error {
  return errors.make(code, message ?? undefined, {
    Line: token.line,
    Column: token.column,
    TokenType: token.type,
    TokenValue: token.text,
  });
}

/** A parse error at a position that is not a whole token (the lexer's). */
export function lexError(
  code: S3ErrorCode,
  pos: { line: number; column: number },
  tokenType: string,
  tokenValue: string,
  message?: string,
): S3Error {
  return errors.make(code, message, {
    Line: pos.line,
    Column: pos.column,
    TokenType: tokenType,
    TokenValue: tokenValue,
  });
}

/** A runtime error (becomes an error event in the middle of the stream). */
export function evalError(code: S3ErrorCode, message?: string): S3Error {
  return errors.make(code, message);
}
