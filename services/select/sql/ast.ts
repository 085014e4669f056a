/** The syntax tree of one S3 Select statement. */
import type { SelectValue } from '../types.js';
import type { Token } from './lexer-types.js';

/** One step of a path: .name / ."Name" / ['name'], [0], [*] or .* */
export type PathStep =
  | { readonly kind: 'name'; readonly name: string; readonly quoted: boolean; readonly token: Token }
  | { readonly kind: 'index'; readonly index: number; readonly token: Token }
  /** [*] (bracket) or .* */
  | { readonly kind: 'wildcard'; readonly bracket: boolean; readonly token: Token };

export type DatePart =
  'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND' | 'TIMEZONE_HOUR' | 'TIMEZONE_MINUTE';

export type CastType = 'INT' | 'FLOAT' | 'DECIMAL' | 'STRING' | 'BOOL' | 'TIMESTAMP';

export type AggregateName = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export type BinaryOp =
  'OR' | 'AND' | '=' | '<>' | '<' | '>' | '<=' | '>=' | '||' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { readonly k: 'lit'; readonly value: SelectValue; readonly token: Token }
  /** A column reference: a first name (alias, S3Object, _N or a column) and further steps. */
  | {
      readonly k: 'ref';
      readonly head: PathStep & { kind: 'name' };
      readonly steps: readonly PathStep[];
      readonly token: Token;
    }
  | { readonly k: 'neg'; readonly e: Expr; readonly token: Token }
  | { readonly k: 'not'; readonly e: Expr; readonly token: Token }
  | { readonly k: 'bin'; readonly op: BinaryOp; readonly l: Expr; readonly r: Expr; readonly token: Token }
  | {
      readonly k: 'like';
      readonly e: Expr;
      readonly pattern: Expr;
      readonly escape: Expr | undefined;
      readonly not: boolean;
      readonly token: Token;
    }
  | {
      readonly k: 'between';
      readonly e: Expr;
      readonly lo: Expr;
      readonly hi: Expr;
      readonly not: boolean;
      readonly token: Token;
    }
  | {
      readonly k: 'in';
      readonly e: Expr;
      readonly list: readonly Expr[];
      readonly not: boolean;
      readonly token: Token;
    }
  | {
      readonly k: 'is';
      readonly e: Expr;
      readonly what: 'NULL' | 'MISSING' | 'TRUE' | 'FALSE';
      readonly not: boolean;
      readonly token: Token;
    }
  | {
      readonly k: 'case';
      readonly subject: Expr | undefined;
      readonly whens: readonly (readonly [Expr, Expr])[];
      readonly otherwise: Expr | undefined;
      readonly token: Token;
    }
  | { readonly k: 'cast'; readonly e: Expr; readonly type: CastType; readonly token: Token }
  /** Scalar function calls; date functions carry their date part. */
  | {
      readonly k: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly part?: DatePart;
      readonly token: Token;
    }
  | {
      readonly k: 'trim';
      readonly where: 'LEADING' | 'TRAILING' | 'BOTH';
      readonly chars: Expr | undefined;
      readonly e: Expr;
      readonly token: Token;
    }
  | { readonly k: 'agg'; readonly name: AggregateName; readonly arg: Expr | '*'; readonly token: Token };

export type SelectItem =
  | { readonly k: 'expr'; readonly e: Expr; readonly alias: string | undefined }
  /** alias.* */
  | { readonly k: 'star'; readonly token: Token };

export interface SelectStatement {
  /** undefined for SELECT * */
  readonly items: readonly SelectItem[] | undefined;
  /** FROM S3Object[*].path … : the steps after S3Object (the leading [*] included when written). */
  readonly fromPath: readonly PathStep[];
  readonly fromToken: Token;
  readonly alias: string | undefined;
  readonly where: Expr | undefined;
  readonly limit: number | undefined;
}
