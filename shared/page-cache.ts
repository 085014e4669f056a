/**
 * Lets the kernel free the page-cache pages of a file range that was written
 * and fsynced, or read and passed on (posix_fadvise POSIX_FADV_DONTNEED):
 * large blobs are streamed through the cache instead of piling up in it.
 *
 * Why: the page cache grows by every byte written until memory runs short,
 * and each new page costs its first touch. On the 2-core VMs Strata is
 * measured on, whose host backs guest memory lazily, copying into new pages
 * cost ~2.8 ms per MiB written, against ~0.3 when the pages of a file dropped
 * earlier are reused (a 64 MiB file written in 256 KiB writes and fsynced,
 * 32 files in a row). Sixteen concurrent 64 MiB PUTs spent 190–230 ms of the
 * thread pool's CPU each; dropping each blob once fsynced, 25–29 ms. Reading a
 * dropped file back through the cache costs the same growth (1.0–1.4 ms per
 * MiB), so large reads drop what they have passed too (0.2–0.3).
 *
 * Node has no binding for it: a small optional addon provides it
 * (shared/native/page-cache, built by node-gyp at `npm install`). Without it,
 * or off Linux, nothing is dropped and files stay cached as before.
 */
import { loadOptionalAddon } from './optional-addon.js';

interface PageCacheAddon {
  drop(fd: number, offset: number, length: number): Promise<number>;
  supported(): boolean;
}

const addon = loadOptionalAddon<PageCacheAddon>('strata-page-cache', (a) => a.supported());

/** Whether page-cache ranges can be dropped here (the addon is built, on Linux). */
export const pageCacheDropAvailable = addon !== undefined;

/**
 * Drops the clean cached pages of bytes offset..offset+length-1 of an open
 * file (length 0: to the end), on the thread pool. Resolves once done, never
 * rejects: a failed drop only leaves the pages cached. The descriptor must
 * stay open until it resolves.
 */
export async function dropPageCache(fd: number, offset: number, length: number): Promise<void> {
  if (!addon) return;
  await addon.drop(fd, offset, length).catch(() => undefined);
}
