/** Encoding of optional JSON and boolean columns: NULL when empty, to keep rows small and reads cheap. */

export function jsonOrNull(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0)
    return null;
  return JSON.stringify(value);
}

export function parseOr<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

export const EMPTY_OBJECT: Readonly<Record<string, string>> = Object.freeze({});
export const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** SQL for a key range: `key > ?` or `key >= ?`, and `AND key < ?` when bounded above. */
export function rangeSql(inclusive: boolean, bounded: boolean): string {
  return `key ${inclusive ? '>=' : '>'} @from${bounded ? ' AND key < @before' : ''}`;
}
