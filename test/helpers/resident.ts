/**
 * Bytes of a file held in the page cache, from util-linux's fincore (Linux),
 * for tests of what Strata leaves cached.
 */
import { execFileSync } from 'node:child_process';

export function residentBytes(file: string): number {
  const out = execFileSync('fincore', ['--json', '--bytes', file], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { fincore: { res: number | string }[] };
  return Number(parsed.fincore[0]!.res);
}

/** Polls until the file's resident bytes satisfy `ok` (drops run in the background), or fails. */
export async function waitResident(
  file: string,
  ok: (bytes: number) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const bytes = residentBytes(file);
    if (ok(bytes)) return;
    if (Date.now() > deadline) throw new Error(`${what}: ${bytes} bytes of ${file} still in the page cache`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
