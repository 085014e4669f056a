/**
 * The scale-out shape delivers webhooks too: the gateway only relays events
 * (its relay matches the bucket's notification configuration and puts the
 * deliveries on the bus) and a separate `strata worker --queues webhook`
 * process POSTs them.
 */
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { spawnStrataWorker, type WorkerProcess } from '../helpers/strata-process.js';
import { TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { WebhookQueue, WebhookReceiver, waitFor } from './notifications-kit.js';

describe('webhook notifications with a separate worker process', () => {
  const receiver = new WebhookReceiver();
  const prefix = `strata-test-${randomUUID().slice(0, 8)}`;
  let env: Record<string, string>;
  let t: TestStrata;
  let worker: WorkerProcess;
  let jobs: WebhookQueue;

  before(async () => {
    await receiver.start();
    env = {
      STRATA_REDIS_URL: TEST_REDIS_URL,
      STRATA_REDIS_PREFIX: prefix,
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_ops: receiver.url('/ops'),
      STRATA_NOTIFY_WEBHOOK_SECRET_ops: 'ops-secret',
    };
    t = await startStrata(env, { relay: true, workers: false });
    worker = await spawnStrataWorker({ dataDir: t.dataDir, env, queues: ['webhook'] });
    jobs = new WebhookQueue(TEST_REDIS_URL, prefix);
  });
  after(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await jobs?.close();
    await receiver.close();
  });

  it('delivers a signed notification from the worker process', async () => {
    const name = bucketName('scale');
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    await t.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        NotificationConfiguration: {
          QueueConfigurations: [
            { Id: 'ops', QueueArn: 'arn:strata:sqs::ops:webhook', Events: ['s3:ObjectCreated:*'] },
          ],
        },
      }),
    );
    await t.s3.send(new PutObjectCommand({ Bucket: name, Key: 'report.csv', Body: 'a,b\n1,2\n' }));
    const [d] = await waitFor('the delivery', () =>
      receiver.to('/ops').length > 0 ? receiver.to('/ops') : undefined,
    );
    assert.equal(
      d?.headers['x-strata-signature'],
      `sha256=${createHmac('sha256', 'ops-secret')
        .update(d?.raw ?? '')
        .digest('hex')}`,
    );
    const record = JSON.parse(d?.raw.toString() ?? '{}').Records[0];
    assert.deepEqual(
      [record.eventName, record.s3.bucket.name, record.s3.object.key, record.s3.configurationId],
      ['ObjectCreated:Put', name, 'report.csv', 'ops'],
    );
    // Delivered at the first attempt: in the job of its relay batch, which completes having delivered it.
    await waitFor('the job to complete', async () =>
      (await jobs.queue.getCompleted()).some(
        (j) =>
          j.returnvalue?.delivered === 1 &&
          j.data?.deliveries?.some(
            (x: { eventId: number }) => String(x.eventId) === d?.headers['x-strata-event-id'],
          ),
      ),
    );
  });
});
