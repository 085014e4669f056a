/**
 * Start-up recovery, so a crash at any moment neither exposes a partial object
 * nor leaves an orphan file:
 * - a staged blob whose id committed metadata references crashed between the
 *   commit and its rename: roll it forward (publish it);
 * - any other staged blob belongs to a write that never committed: delete it;
 * - blobs listed as garbage were freed by a commit but maybe not deleted yet:
 *   delete them and drop the rows.
 */
import type { StoreContext } from './store-context.js';

export interface RecoveryReport {
  readonly rolledForward: number;
  readonly discarded: number;
  readonly reclaimed: number;
}

export async function recover(ctx: StoreContext): Promise<RecoveryReport> {
  let rolledForward = 0;
  let discarded = 0;
  for (const id of await ctx.blobs.listStaged()) {
    if (ctx.meta.blobRefs.isCommitted(id)) {
      ctx.blobs.publish(id);
      await ctx.blobs.persist(id);
      rolledForward++;
    } else {
      await ctx.blobs.discardStaged(id);
      discarded++;
    }
  }
  const garbage = ctx.meta.blobRefs.garbage();
  for (const id of garbage) await ctx.blobs.remove(id);
  if (garbage.length > 0) ctx.meta.transaction(() => ctx.meta.blobRefs.forgetGarbage(garbage));
  return { rolledForward, discarded, reclaimed: garbage.length };
}
