/**
 * ObjectVersion.bodyRef: the list of blob segments that make up a body, in
 * order. A PUT has one segment (none when empty); a multipart object has one
 * per part, pointing at the part blobs themselves (completing an upload copies
 * no bytes). Encoded as JSON [[blobId, size], …].
 */
export interface Segment {
  readonly id: string;
  readonly size: number;
}

export function encodeBodyRef(segments: readonly Segment[]): string {
  return JSON.stringify(segments.map((s) => [s.id, s.size]));
}

export function decodeBodyRef(ref: string): Segment[] {
  const raw = JSON.parse(ref) as [string, number][];
  return raw.map(([id, size]) => ({ id, size }));
}

export function blobIdsOf(ref: string): string[] {
  return ref === '[]' ? [] : decodeBodyRef(ref).map((s) => s.id);
}
