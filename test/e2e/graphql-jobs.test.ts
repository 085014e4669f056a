/**
 * Jobs through GraphQL, with the real relay and workers: a webhook delivery
 * that the receiver refuses becomes a failed job, visible with its reason in
 * `jobs` and `queues`; retryJob runs it again and it completes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QUEUES } from '../../workers/registry.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { errorCode, gql, gqlData, type GqlAuth } from './graphql-kit.js';
import { waitFor, WebhookReceiver } from './notifications-kit.js';

interface Job {
  id: string;
  queue: string;
  name: string;
  state: string | null;
  attemptsMade: number;
  failedReason: string | null;
  createdAt: string;
  finishedAt: string | null;
  data: string;
}
interface JobPage {
  queue: string;
  state: string | null;
  counts: Record<string, number>;
  items: Job[];
}

const JOB_FIELDS = 'id queue name state attemptsMade failedReason createdAt finishedAt data';
const JOBS = `query($q: String!, $s: JobState) { jobs(queue: $q, state: $s, first: 50) {
  queue state counts { waiting active delayed prioritized waitingChildren completed failed } items { ${JOB_FIELDS} } } }`;

describe('GraphQL jobs (relay and workers on)', () => {
  let t: TestStrata;
  let root: GqlAuth;
  const receiver = new WebhookReceiver();
  const prefix = `test-gql-jobs-${randomUUID()}`;

  before(async () => {
    await receiver.start();
    // The first delivery is refused for good (a 400 is not retried); later ones are taken.
    receiver.answer('/hook', (n) => (n === 1 ? 400 : 200));
    t = await startStrata(
      { STRATA_REDIS_PREFIX: prefix, STRATA_NOTIFY_WEBHOOK_ENDPOINT_hook: receiver.url('/hook') },
      { relay: true, workers: true },
    );
    root = { accessKey: t.accessKey, secretKey: t.secretKey };
  });
  after(async () => {
    await t?.close();
    await receiver.close();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  const jobs = async (state?: string) =>
    (await gqlData<{ jobs: JobPage }>(t.endpoint, root, JOBS, { q: 'webhook', s: state })).jobs;

  it('lists the registry’s queues with counts', async () => {
    const d = await gqlData<{ queues: { name: string; counts: Record<string, number> }[] }>(
      t.endpoint,
      root,
      '{ queues { name counts { waiting active delayed completed failed } } }',
    );
    assert.deepEqual(
      d.queues.map((q) => q.name),
      [...QUEUES],
    );
    for (const q of d.queues) {
      for (const n of Object.values(q.counts)) assert.ok(Number.isInteger(n) && n >= 0);
    }
  });

  it('shows a failed job with its reason, and retryJob completes it', async () => {
    const b = bucketName('gj');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    await gqlData(
      t.endpoint,
      root,
      `mutation($b: String!) { setBucketNotificationConfiguration(bucket: $b, configuration: {
        rules: [{ id: "hook", arn: "arn:strata:sqs::hook:webhook", events: ["s3:ObjectCreated:*"] }] }) { rules { id } } }`,
      { b },
    );
    await t.s3.send(new PutObjectCommand({ Bucket: b, Key: 'notify-me', Body: 'x' }));

    const failed = await waitFor('a failed webhook job', async () => {
      const page = await jobs('failed');
      return page.items.find((j) => j.data.includes(b)) && page;
    });
    const job = failed.items.find((j) => j.data.includes(b))!;
    assert.equal(failed.state, 'failed');
    assert.ok(failed.counts['failed']! >= 1);
    assert.equal(job.queue, 'webhook');
    assert.equal(job.name, 'webhook');
    assert.equal(job.state, 'failed');
    assert.ok(job.attemptsMade >= 1);
    assert.match(job.failedReason ?? '', /400/);
    assert.ok(Date.parse(job.createdAt) <= Date.parse(job.finishedAt!));
    assert.ok(job.data.length <= 1024);
    assert.equal(receiver.to('/hook').length, 1);

    const retried = await gqlData<{ retryJob: Job }>(
      t.endpoint,
      root,
      `mutation($id: ID!) { retryJob(queue: "webhook", id: $id) { ${JOB_FIELDS} } }`,
      { id: job.id },
    );
    assert.equal(retried.retryJob.id, job.id);
    assert.notEqual(retried.retryJob.state, 'failed');
    await waitFor('the retried job to complete', async () =>
      (await jobs('completed')).items.some((j) => j.id === job.id),
    );
    assert.equal(receiver.to('/hook').length, 2);
    const all = await jobs();
    assert.equal(all.state, null);
    assert.equal(all.items.find((j) => j.id === job.id)?.state, 'completed');

    const again = await gql(
      t.endpoint,
      root,
      'mutation($id: ID!) { retryJob(queue: "webhook", id: $id) { id } }',
      {
        id: job.id,
      },
    );
    assert.equal(errorCode(again), 'InvalidRequest');
  });

  it('refuses unknown queues and jobs with InvalidArgument', async () => {
    const q = await gql(t.endpoint, root, JOBS, { q: 'no-such-queue' });
    assert.equal(errorCode(q), 'InvalidArgument');
    const j = await gql(
      t.endpoint,
      root,
      'mutation { retryJob(queue: "webhook", id: "no-such-job") { id } }',
    );
    assert.equal(errorCode(j), 'InvalidArgument');
  });
});
