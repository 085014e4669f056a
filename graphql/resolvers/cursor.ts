/**
 * Opaque page cursors of the listings: base64url JSON of where the next page
 * starts (the store's "after" key, or a key and version marker), tagged with
 * the listing kind so an objects cursor is not taken for a versions cursor.
 */
import { errors } from '../../shared/errors.js';

export const MAX_PAGE_SIZE = 1000;

interface ObjectsCursor {
  readonly t: 'o';
  readonly a: string;
}

interface VersionsCursor {
  readonly t: 'v';
  readonly k: string;
  readonly v?: string;
}

type Cursor = ObjectsCursor | VersionsCursor;

function encode(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decode(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof c === 'object' && c !== null) {
      const o = c as Record<string, unknown>;
      if (o['t'] === 'o' && typeof o['a'] === 'string') return { t: 'o', a: o['a'] };
      if (
        o['t'] === 'v' &&
        typeof o['k'] === 'string' &&
        (o['v'] === undefined || typeof o['v'] === 'string')
      ) {
        return o['v'] === undefined ? { t: 'v', k: o['k'] } : { t: 'v', k: o['k'], v: o['v'] as string };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw errors.invalidArgument('The cursor is not valid for this listing', 'after', text);
}

export function objectsCursor(after: string): string {
  return encode({ t: 'o', a: after });
}

/** The key to list after, from an objects cursor; undefined for the first page. */
export function afterOfObjectsCursor(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const c = decode(text);
  if (c.t !== 'o') throw errors.invalidArgument('The cursor is not valid for this listing', 'after', text);
  return c.a;
}

export function versionsCursor(keyMarker: string, versionIdMarker: string | undefined): string {
  return encode(
    versionIdMarker === undefined ? { t: 'v', k: keyMarker } : { t: 'v', k: keyMarker, v: versionIdMarker },
  );
}

export function markersOfVersionsCursor(text: string | null | undefined): {
  keyMarker?: string;
  versionIdMarker?: string;
} {
  if (text === null || text === undefined) return {};
  const c = decode(text);
  if (c.t !== 'v') throw errors.invalidArgument('The cursor is not valid for this listing', 'after', text);
  return c.v === undefined ? { keyMarker: c.k } : { keyMarker: c.k, versionIdMarker: c.v };
}

/** `first`: 1..1000, as S3's max-keys (InvalidArgument otherwise). */
export function pageSize(first: number | null | undefined, def = 100): number {
  const n = first ?? def;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw errors.invalidArgument(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first', String(n));
  }
  return n;
}
