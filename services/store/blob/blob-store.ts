/**
 * The blob seam: object bodies stored by id. A local directory implements it
 * now (local-blob-store.ts); a remote S3-compatible bucket will later.
 *
 * Life of a blob: create() stages it (writes go to a staging area), finish()
 * makes the bytes durable, publish() moves it to its final place — synchronous,
 * so the store can do it in the same tick as the metadata commit — and
 * persist() makes that move durable. A staged blob that is never published is
 * discarded; at start, staged blobs are rolled forward or discarded depending
 * on whether committed metadata references them.
 */
import type { Readable } from 'node:stream';

export interface BlobWriter {
  readonly id: string;
  /**
   * Appends bytes after those of earlier calls. Calls may overlap: each
   * call's bytes take their place in the blob when it is made.
   */
  write(chunks: readonly Buffer[]): Promise<void>;
  /** Flushes the bytes to stable storage and closes the blob for writing. */
  finish(): Promise<void>;
  /** Deletes the staged bytes (safe to call more than once, or after a failed write). */
  discard(): Promise<void>;
}

/** A published blob opened once for many positional reads (one file handle, or one remote object). */
export interface BlobReader {
  /**
   * Fills `target` with the blob's bytes from `position`; rejects when the
   * blob ends first. Reads may run concurrently.
   */
  readAt(position: number, target: Buffer): Promise<void>;
  /** Closes the reader after reads under way finish (safe to call more than once). */
  close(): Promise<void>;
}

export interface BlobStore {
  ready(): Promise<void>;
  close(): Promise<void>;
  /**
   * Stages a new blob. `size`, when known, lets the store pick how to write
   * it (a local store makes a small blob durable with each write instead of
   * a separate flush); the writer must then get exactly that many bytes.
   * `alone`: no other blob is being written, so a way that is quicker for
   * one blob but costlier beside others may be taken.
   */
  create(size?: number, alone?: boolean): BlobWriter;
  /** Synchronously moves a finished staged blob to its final place. */
  publish(id: string): void;
  /** Makes earlier publish() calls of this blob durable. */
  persist(id: string): Promise<void>;
  /** Bytes start..end (inclusive) of a published blob. */
  read(id: string, start: number, end: number): Readable;
  /**
   * Takes back a chunk read() produced once the consumer has finished with it
   * (written it out), so that its memory can be read into again. Chunks it
   * did not produce are ignored; a chunk never given back is left to the GC.
   */
  recycle(chunk: Buffer): void;
  /** Opens a published blob for positional reads. */
  openReader(id: string): Promise<BlobReader>;
  /** Deletes a published blob (no error when it is already gone). */
  remove(id: string): Promise<void>;
  /** Ids of staged blobs left from an earlier run. */
  listStaged(): Promise<string[]>;
  discardStaged(id: string): Promise<void>;
}
