import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrataEvent } from '../../shared/events.js';
import type { NotificationConfiguration, NotificationRule, ObjectStore } from '../store/types.js';
import {
  MAX_BATCH_DELIVERIES,
  webhookBatchJobId,
  webhookJobId,
  webhookJobsForBatch,
} from './notify-consumer.js';
import { testRecord } from './record-fixture.js';

function event(id: number, bucket: string, key: string): StrataEvent {
  return { id, record: testRecord({ bucket, key, sequencer: id.toString(16) }) };
}

const rule = (id: string, arn: string, prefix: string): NotificationRule => ({
  id,
  kind: 'Queue',
  arn,
  events: ['s3:ObjectCreated:*'],
  filterRules: [{ name: 'Prefix', value: prefix }],
});

/** A store that only answers notification configurations, counting the reads. */
function storeWith(configs: Record<string, NotificationConfiguration>) {
  const reads: string[] = [];
  const store = {
    getBucketNotification(bucket: string) {
      reads.push(bucket);
      return configs[bucket] ?? { rules: [] };
    },
  } as unknown as ObjectStore;
  return { store, reads };
}

describe('notification consumer', () => {
  const A = 'arn:strata:sqs::a:webhook';
  const B = 'arn:strata:sqs::b:webhook';

  it('makes one job per target of a relay batch, its deliveries in event order', () => {
    const { store, reads } = storeWith({
      photos: { rules: [rule('p-a', A, 'img/'), rule('p-b', B, 'img/')] },
      docs: { rules: [rule('d-a', A, '')] },
    });
    const events = [
      event(10, 'photos', 'img/1'),
      event(11, 'docs', 'x'),
      event(12, 'photos', 'txt/2'), // matches no rule
      event(13, 'photos', 'img/3'),
      event(14, 'other', 'img/4'), // no configuration
    ];
    const jobs = webhookJobsForBatch(events, store);
    assert.deepEqual(reads.sort(), ['docs', 'other', 'photos'], 'each bucket read once');
    assert.deepEqual(
      jobs.map((j) => j.id),
      [webhookBatchJobId(10, 14, A), webhookBatchJobId(10, 14, B)],
    );
    const [toA, toB] = jobs;
    assert.equal(toA?.data.targetArn, A);
    assert.deepEqual(
      toA?.data.deliveries.map((d) => [d.eventId, d.configurationId, d.record.s3.configurationId]),
      [
        [10, 'p-a', 'p-a'],
        [11, 'd-a', 'd-a'],
        [13, 'p-a', 'p-a'],
      ],
    );
    assert.deepEqual(
      toB?.data.deliveries.map((d) => d.eventId),
      [10, 13],
    );
  });

  it('splits a target’s deliveries into jobs of at most MAX_BATCH_DELIVERIES, even within one event', () => {
    // One event matching more configurations than a job holds, all to one target: no delivery is lost.
    const rules = Array.from({ length: MAX_BATCH_DELIVERIES + 5 }, (_, i) => rule(`r${i}`, A, ''));
    const { store } = storeWith({ many: { rules } });
    const jobs = webhookJobsForBatch([event(3, 'many', 'k'), event(4, 'many', 'k')], store);
    assert.deepEqual(
      jobs.map((j) => j.data.deliveries.length),
      [MAX_BATCH_DELIVERIES, MAX_BATCH_DELIVERIES, 10],
    );
    assert.equal(new Set(jobs.map((j) => j.id)).size, 3);
    const all = jobs.flatMap((j) => j.data.deliveries.map((d) => `${d.eventId}/${d.configurationId}`));
    assert.equal(new Set(all).size, 2 * rules.length);
  });

  it('makes no job when no event matches', () => {
    const { store } = storeWith({});
    assert.deepEqual(webhookJobsForBatch([event(1, 'b', 'k')], store), []);
  });

  it('gives deliveries and batches ids BullMQ accepts, distinct per configuration and target', () => {
    const ids = [
      webhookJobId(7, 'cfg:1', A),
      webhookJobId(7, 'cfg:2', A),
      webhookJobId(7, 'cfg:1', B),
      webhookBatchJobId(7, 9, A),
      webhookBatchJobId(7, 9, A, 1),
      webhookBatchJobId(7, 9, B),
    ];
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.doesNotMatch(id, /:/);
    assert.match(ids[0]!, /^webhook-7-[0-9a-f]{16}$/);
  });
});
