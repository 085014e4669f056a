/**
 * Group commit (wal-sync.ts): who waits for which sync, and how many syncs a
 * burst of commits costs; then the real thing on a SQLite file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqliteMetadataStore } from './sqlite-metadata-store.js';
import { WalSync } from './wal-sync.js';

/** A sync that finishes when the test says so, counting how often it ran. */
function controlledSync() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let runs = 0;
  return {
    pending,
    runs: () => runs,
    sync: () => {
      runs++;
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WalSync', () => {
  it('waits for nothing when nothing changed', async () => {
    const s = controlledSync();
    const w = new WalSync(s.sync, () => 7);
    await w.durable();
    assert.equal(s.runs(), 0);
  });

  it('resolves a waiter only after a sync that started after its change', async () => {
    const s = controlledSync();
    let changes = 0;
    const w = new WalSync(s.sync, () => changes);
    changes = 1;
    let first = false;
    const a = w.durable().then(() => (first = true));
    assert.equal(s.runs(), 1);
    changes = 2; // committed while the first sync runs: it may not be covered by it
    let second = false;
    const b = w.durable().then(() => (second = true));
    const c = w.durable();
    assert.equal(s.runs(), 1, 'the later waiters share one sync, started after the running one');
    s.pending.shift()!.resolve();
    await a;
    assert.equal(first, true);
    await tick();
    assert.equal(second, false);
    assert.equal(s.runs(), 2);
    s.pending.shift()!.resolve();
    await Promise.all([b, c]);
    assert.equal(second, true);
    await w.durable();
    assert.equal(s.runs(), 2, 'everything is synced: no third sync');
  });

  it('a failed sync fails its waiters, and the next call syncs again', async () => {
    const s = controlledSync();
    let changes = 0;
    const w = new WalSync(s.sync, () => changes);
    changes = 1;
    const a = w.durable();
    s.pending.shift()!.reject(new Error('EIO'));
    await assert.rejects(a, /EIO/);
    const b = w.durable();
    assert.equal(s.runs(), 2);
    s.pending.shift()!.resolve();
    await b;
  });

  it('syncs the WAL file of a real database, and a reopen finds the commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-walsync-'));
    const file = path.join(dir, 'meta.db');
    try {
      const meta = new SqliteMetadataStore({ file });
      meta.migrate();
      await meta.durable();
      meta.transaction(() =>
        meta.users.insert({
          id: 'a'.repeat(64),
          displayName: 'walsync',
          accessKey: 'WALSYNCKEY',
          secretKey: 'walsync-secret',
          isRoot: false,
          createdAt: new Date(0),
        }),
      );
      const before = meta.walSyncs;
      await Promise.all([meta.durable(), meta.durable()]);
      assert.equal(meta.walSyncs, before + 1, 'two waiters, one sync');
      await meta.durable();
      assert.equal(meta.walSyncs, before + 1, 'nothing new to sync');
      // Bookkeeping alone (the relay marking events sent) is not synced for its own sake.
      meta.bookkeeping(() => meta.users.updateKeys('a'.repeat(64), 'WALSYNCKEY2', 'walsync-secret-2'));
      await meta.durable();
      assert.equal(meta.walSyncs, before + 1);
      meta.close();
      const again = new SqliteMetadataStore({ file });
      again.migrate();
      assert.equal(again.users.byAccessKey('WALSYNCKEY2')?.displayName, 'walsync');
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
