/** Shared set-up for the store's unit tests: a store in a temp dir, bodies, readers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { silentLogger } from '../../shared/logger.js';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { StrataObjectStore, type ObjectStoreOptions } from './object-store.js';
import type { User } from './types.js';

export interface StoreFixture {
  readonly store: StrataObjectStore;
  readonly dataDir: string;
  readonly owner: User;
  /** Opens another store on the same data dir (as after a restart). */
  reopen(opts?: Partial<ObjectStoreOptions>): Promise<StrataObjectStore>;
  cleanup(): Promise<void>;
}

/** The blob stores fixtures opened: blobFiles() leaves out the files they created ahead. */
const openBlobStores = new Set<LocalBlobStore>();

export async function openFixture(opts: Partial<ObjectStoreOptions> = {}): Promise<StoreFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-store-'));
  const stores: StrataObjectStore[] = [];
  const open = async (o: Partial<ObjectStoreOptions>) => {
    const blobs = o.blobs ?? new LocalBlobStore({ root: path.join(dataDir, 'tiers', 'hot') });
    if (blobs instanceof LocalBlobStore) openBlobStores.add(blobs);
    const s = new StrataObjectStore({ dataDir, log: silentLogger, ...o, blobs });
    stores.push(s);
    await s.ready();
    return s;
  };
  const store = await open(opts);
  const owner = store.ensureRootUser('ROOTKEY', 'root-secret-key');
  return {
    store,
    dataDir,
    owner,
    reopen: (o = {}) => open(o),
    async cleanup() {
      for (const s of stores) await s.close().catch(() => undefined);
      openBlobStores.clear();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A request-like body stream, optionally split into chunks. */
export function body(data: string | Buffer, chunkSize = 64 * 1024): Readable {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Files currently in the hot tier: published blob ids and staged ones. The
 * empty files a running store created ahead for its next writes
 * (staged-reserve.ts) are not counted as staged.
 */
export function blobFiles(dataDir: string): { published: string[]; staged: string[] } {
  const root = path.join(dataDir, 'tiers', 'hot');
  const reserved = new Set([...openBlobStores].flatMap((b) => b.reservedIds()));
  const published: string[] = [];
  for (const d of fs.readdirSync(root)) {
    if (d === 'tmp') continue;
    published.push(...fs.readdirSync(path.join(root, d)));
  }
  const staged = fs.readdirSync(path.join(root, 'tmp')).filter((id) => !reserved.has(id));
  return { published: published.sort(), staged: staged.sort() };
}

/** Resolves once `cond()` holds; fails the test after 5 s. */
export async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
