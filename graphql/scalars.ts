/**
 * The schema's custom scalars: DateTime (ISO-8601 strings) and Long (sizes
 * beyond GraphQL's 32-bit Int, still safe JavaScript integers).
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function toDate(value: unknown): Date {
  const d =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
  if (d === undefined || Number.isNaN(d.getTime()))
    throw new GraphQLError('DateTime must be an ISO-8601 date-time');
  return d;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: (value) => toDate(value),
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast });
    return toDate(ast.value);
  },
});

function toLong(value: unknown): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new GraphQLError('Long must be a whole number up to 2^53-1');
  }
  return n;
}

export const Long = new GraphQLScalarType<number, number>({
  name: 'Long',
  serialize: toLong,
  parseValue: toLong,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Long must be an integer literal', { nodes: ast });
    return toLong(ast.value);
  },
});
