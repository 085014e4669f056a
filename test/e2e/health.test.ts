/**
 * GET /_strata/health end to end: 200 with the database and Redis ready;
 * with the event pipeline on and its Redis stopped, 503 naming Redis as down
 * while S3 PUT and GET keep working (and /_strata/health/live stays 200);
 * 200 again once Redis is back; 503 naming the database when it is closed.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createStrataNode } from '../../services/server/app.js';
import { loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/logger.js';
import { bodyText } from '../helpers/object-kit.js';
import { sharedRedisUrl, startPipelineNode, startRedisChild } from '../helpers/pipeline-node.js';
import { bucketName } from '../helpers/strata.js';
import { freePort } from '../helpers/strata-process.js';

async function health(
  endpoint: string,
  which = '/_strata/health',
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(endpoint + which);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function healthWhen(
  endpoint: string,
  status: number,
): Promise<{ status: number; body: Record<string, string> }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const h = await health(endpoint);
    if (h.status === status || Date.now() > deadline) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('health', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('is 200 with the database and Redis ready', async () => {
    const t = await startPipelineNode(sharedRedisUrl());
    cleanups.push(() => t.close());
    const h = await health(t.endpoint);
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: 'ok', database: 'ok', redis: 'ok' });
  });

  it('is 503 while Redis is down, S3 PUT and GET still work, and 200 again once Redis is back', async () => {
    const port = await freePort();
    let redis = await startRedisChild(port);
    cleanups.push(() => redis.stop());
    const t = await startPipelineNode(redis.url);
    cleanups.push(() => t.close());
    assert.equal((await health(t.endpoint)).status, 200);

    await redis.stop();
    const down = await healthWhen(t.endpoint, 503);
    assert.equal(down.status, 503);
    assert.deepEqual(down.body, { status: 'unavailable', database: 'ok', redis: 'down' });
    const live = await health(t.endpoint, '/_strata/health/live');
    assert.deepEqual(live, { status: 200, body: { status: 'ok' } });

    const bucket = bucketName('health');
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'while-redis-is-down.txt', Body: 'still here' }),
    );
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'while-redis-is-down.txt' }));
    assert.equal(await bodyText(got.Body), 'still here');

    redis = await startRedisChild(port);
    const back = await healthWhen(t.endpoint, 200);
    assert.deepEqual(back, { status: 200, body: { status: 'ok', database: 'ok', redis: 'ok' } });
  });

  it('is 503 naming the database when the database cannot answer', async () => {
    const t = await startPipelineNode(sharedRedisUrl());
    cleanups.push(() => t.close());
    await t.node.store.close();
    const h = await health(t.endpoint);
    assert.equal(h.status, 503);
    assert.equal(h.body['status'], 'unavailable');
    assert.equal(h.body['database'], 'down');
  });

  it('reports Redis as disabled on a node without the event pipeline', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-health-'));
    const config = loadConfig({ STRATA_PORT: '0', STRATA_HOST: '127.0.0.1', STRATA_DATA_DIR: dataDir });
    const node = await createStrataNode(config, silentLogger);
    cleanups.push(async () => {
      await node.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const port = await node.listen();
    assert.deepEqual(await health(`http://127.0.0.1:${port}`), {
      status: 200,
      body: { status: 'ok', database: 'ok', redis: 'disabled' },
    });
  });
});
