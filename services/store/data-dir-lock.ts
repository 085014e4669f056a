/**
 * Which process owns the data dir's files. `strata user add` opens the same
 * store while the server runs; only the owner (the first process to start,
 * normally the server) may run recovery and delete files, or it could remove
 * a write the server is staging right now. The lock is a pid file; a stale one
 * (its process is gone) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // our own earlier store instance: take it over
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  private owned = false;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'strata.pid');
  }

  /** True when this process now owns the data dir. */
  acquire(): boolean {
    try {
      fs.writeFileSync(this.file, String(process.pid), { flag: 'wx' });
      this.owned = true;
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number.parseInt(fs.readFileSync(this.file, 'utf8'), 10);
    if (Number.isInteger(pid) && alive(pid)) return false;
    fs.writeFileSync(this.file, String(process.pid));
    this.owned = true;
    return true;
  }

  release(): void {
    if (!this.owned) return;
    this.owned = false;
    try {
      if (fs.readFileSync(this.file, 'utf8') === String(process.pid)) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
