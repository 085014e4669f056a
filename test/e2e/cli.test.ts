/**
 * The `strata` command as users run it: help and usage errors, and user
 * management against the data dir of a running server.
 */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnStrata, strataMain, type StrataProcess } from '../helpers/strata-process.js';

function strata(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [strataMain, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('strata CLI', () => {
  const cases: [string[], number, RegExp, 'stdout' | 'stderr'][] = [
    [['--help'], 0, /strata serve|serve\s+Start/, 'stdout'],
    [['help', 'user'], 0, /strata user add NAME/, 'stdout'],
    [['serve', '--help'], 0, /STRATA_MAX_OBJECT_SIZE/, 'stdout'],
    [['serve', '--bogus'], 2, /strata: unknown flag --bogus/, 'stderr'],
    [['serve', '--port', 'abc'], 2, /strata: STRATA_PORT must be a whole number/, 'stderr'],
    [['frobnicate'], 2, /strata: unknown command "frobnicate"/, 'stderr'],
    [['user', 'add'], 2, /needs exactly one NAME/, 'stderr'],
    [['user', 'add', 'x', '--access-key', 'ONLYKEY'], 2, /must be given together/, 'stderr'],
  ];
  for (const [args, code, out, stream] of cases) {
    it(`strata ${args.join(' ')} → exit ${code}`, () => {
      const r = strata(args);
      assert.equal(r.code, code, r.stderr);
      assert.match(r[stream], out);
    });
  }

  describe('user commands next to a running server', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-'));
    let server: StrataProcess;
    const clients: S3Client[] = [];
    const client = (accessKeyId: string, secretAccessKey: string) => {
      const c = new S3Client({
        endpoint: server.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey },
      });
      clients.push(c);
      return c;
    };
    before(async () => {
      server = await spawnStrata({ dataDir, accessKey: 'CLIROOTKEY', secretKey: 'cli-root-secret' });
    });
    after(async () => {
      for (const c of clients) c.destroy();
      await server?.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('adds a user whose generated keys work at once, lists it, and removes it', async () => {
      const added = strata(['user', 'add', 'alice', '--data-dir', dataDir]);
      assert.equal(added.code, 0, added.stderr);
      const accessKey = /Access key:\s+(\S+)/.exec(added.stdout)?.[1];
      const secretKey = /Secret key:\s+(\S+)/.exec(added.stdout)?.[1];
      assert.ok(accessKey && secretKey, added.stdout);
      await client(accessKey, secretKey).send(new ListBucketsCommand({}));

      const listed = strata(['user', 'list'], { STRATA_DATA_DIR: dataDir });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^alice\\s+${accessKey}\\s+no\\s`, 'm'));
      assert.match(listed.stdout, /^root\s+CLIROOTKEY\s+yes\s/m);

      assert.equal(strata(['user', 'add', 'alice', '--data-dir', dataDir]).code, 1, 'duplicate name');
      const removed = strata(['user', 'remove', accessKey, '--data-dir', dataDir]);
      assert.equal(removed.code, 0, removed.stderr);
      await assert.rejects(client(accessKey, secretKey).send(new ListBucketsCommand({})), {
        name: 'InvalidAccessKeyId',
      });
      assert.equal(strata(['user', 'remove', 'alice', '--data-dir', dataDir]).code, 1, 'already removed');
    });

    it('adds a user with given keys', async () => {
      const r = strata([
        'user',
        'add',
        'bob',
        '--access-key=BOBACCESSKEY',
        '--secret-key',
        'bob-secret-key',
        '--data-dir',
        dataDir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Access key:\s+BOBACCESSKEY/);
      await client('BOBACCESSKEY', 'bob-secret-key').send(new ListBucketsCommand({}));
    });
  });
});
