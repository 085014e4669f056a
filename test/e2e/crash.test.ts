/**
 * Crash safety of a real `strata serve` process: SIGKILL it while PUTs and
 * multipart uploads are in flight, restart it on the same data dir, and check
 * the promise of DESIGN.md: an acknowledged write is never lost, an object is
 * never visible half-written, and nothing is left behind on disk once every
 * object and upload is deleted through the S3 API.
 */
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnStrata, type StrataProcess } from '../helpers/strata-process.js';
import { bodyOf, planRound, runWrites, sha256, type PlannedWrite } from './crash-workload.js';

const ACCESS_KEY = 'CRASHTESTACCESSKEY';
const SECRET_KEY = 'crash-test-secret-key';
const ROUNDS = 3;

function clientFor(p: StrataProcess): S3Client {
  return new S3Client({
    endpoint: p.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    // One attempt: a retried request after the kill would blur what was in flight.
    maxAttempts: 1,
  });
}

async function listKeys(s3: S3Client, bucket: string): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.set(o.Key!, o.Size!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** After a restart: acknowledged writes are all there and intact; nothing partial or unknown is. */
async function verify(s3: S3Client, bucket: string, writes: Map<string, PlannedWrite>): Promise<void> {
  const listed = await listKeys(s3, bucket);
  for (const [key, size] of listed) {
    const w = writes.get(key);
    assert.ok(w, `listed key ${key} was never written`);
    assert.ok(w.state === 'acked' || w.state === 'inflight', `listed key ${key} was ${w.state}`);
    assert.equal(size, w.size, `listed size of ${key}`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await got.Body!.transformToByteArray();
    assert.equal(bytes.length, w.size, `bytes read back from ${key}`);
    assert.equal(sha256(bytes), sha256(bodyOf(key, w.size)), `content of ${key}`);
  }
  for (const w of writes.values()) {
    if (w.state === 'acked') assert.ok(listed.has(w.key), `acknowledged ${w.key} is missing after the crash`);
    // An in-flight write either made it or not; from now on it must stay that way.
    if (w.state === 'inflight') w.state = listed.has(w.key) ? 'acked' : 'absent';
  }
}

async function deleteEverything(s3: S3Client, bucket: string): Promise<void> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId }));
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  for (const key of (await listKeys(s3, bucket)).keys()) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  for (;;) {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    for (const u of page.Uploads ?? []) {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }));
    }
    if (!page.IsTruncated) break;
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

function regularFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return out;
}

async function waitForNoFiles(dir: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = regularFiles(dir);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('crash safety (SIGKILL during writes)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-crash-'));
  const procs: StrataProcess[] = [];
  after(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async () => {
    const p = await spawnStrata({ dataDir, accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
    procs.push(p);
    return p;
  };

  it(
    `keeps every acknowledged write across ${ROUNDS} kills and leaves no orphan files`,
    { timeout: 120_000 },
    async (t) => {
      const bucket = 'crash-test';
      const writes = new Map<string, PlannedWrite>();
      let proc = await start();
      let s3 = clientFor(proc);
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));

      for (let round = 1; round <= ROUNDS; round++) {
        const plan = planRound(round, 40, 6);
        for (const w of plan) writes.set(w.key, w);
        // Kill once some multipart uploads and about half the PUTs are acknowledged.
        const acks = { put: 0, mpu: 0 };
        let killed = false;
        const victim = proc;
        const failures = await runWrites(s3, bucket, plan, {
          concurrency: 12,
          stop: () => killed,
          onAck: (w) => {
            acks[w.parts ? 'mpu' : 'put']++;
            if (acks.mpu >= 2 && acks.put >= 16 && !killed) {
              killed = true;
              victim.child.kill('SIGKILL');
            }
          },
        });
        const before = failures.filter((f) => !f.afterStop);
        assert.deepEqual(
          before.map((f) => `${f.key}: ${String(f.error)}`),
          [],
          `writes failed before the kill\n${victim.output()}`,
        );
        assert.ok(killed, 'the server was killed mid-load');
        const count = (kind: string, state: string) =>
          plan.filter((w) => w.key.includes(`/${kind}-`) && w.state === state).length;
        t.diagnostic(
          `round ${round}: puts acked ${count('put', 'acked')}, in flight ${count('put', 'inflight')}; ` +
            `multipart completed ${count('mpu', 'acked')}, completing ${count('mpu', 'inflight')}, ` +
            `unfinished ${count('mpu', 'idle')}`,
        );
        const exit = await victim.exited;
        assert.equal(exit.signal, 'SIGKILL');
        s3.destroy();

        proc = await start();
        s3 = clientFor(proc);
        await verify(s3, bucket, writes);
      }

      const acked = [...writes.values()].filter((w) => w.state === 'acked').length;
      assert.ok(acked >= ROUNDS * 20, `only ${acked} writes were acknowledged`);
      assert.ok(regularFiles(path.join(dataDir, 'tiers')).length > 0, 'object bodies are files under tiers/');
      await deleteEverything(s3, bucket);
      const left = await waitForNoFiles(path.join(dataDir, 'tiers'), 10_000);
      assert.deepEqual(left, [], 'orphan files under tiers/ after deleting every object and upload');
      s3.destroy();

      const stopped = await proc.kill('SIGTERM');
      assert.equal(stopped.code, 0, `graceful shutdown exit code\n${proc.output()}`);
    },
  );
});
