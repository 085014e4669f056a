import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { silentLogger } from '../logger.js';
import { JobQueues } from './job-queues.js';
import type { JobPayload, JobType } from './job-type.js';
import { JobWorkers } from './job-workers.js';
import { closeRedis, createRedis } from './redis.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

interface Payload extends JobPayload {
  readonly v: 1;
  readonly name: string;
}

interface Deps {
  readonly runs: Map<string, number>;
  readonly failUntil: Map<string, number>;
  gate?: Promise<void>;
}

const work: JobType<Payload, Deps> = {
  queue: 'work',
  payloadVersion: 1,
  jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 10 } },
  async process(job, _signal, deps) {
    const n = (deps.runs.get(job.data.name) ?? 0) + 1;
    deps.runs.set(job.data.name, n);
    await job.updateProgress(50);
    if (deps.gate) await deps.gate;
    if (job.data.name === 'corrupt') throw new UnrecoverableError('cannot ever work');
    if (n <= (deps.failUntil.get(job.data.name) ?? 0)) throw new Error(`attempt ${n} fails`);
    await job.updateProgress(100);
    return { ok: n };
  },
};

describe('job bus: queues and workers', () => {
  let prefix: string;
  let producer: Redis;
  let workerRedis: Redis;
  let queues: JobQueues;
  let workers: JobWorkers<Deps> | undefined;
  let deps: Deps;

  beforeEach(() => {
    prefix = `test-bus-${randomUUID()}`;
    producer = createRedis(REDIS_URL, 'producer');
    workerRedis = createRedis(REDIS_URL, 'worker');
    queues = new JobQueues({ connection: producer, prefix, types: [work], log: silentLogger });
    deps = { runs: new Map(), failUntil: new Map() };
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await queues.queue('work').obliterate({ force: true });
    await queues.close();
    await closeRedis(workerRedis);
    await closeRedis(producer);
  });

  const startWorkers = async () => {
    workers = new JobWorkers<Deps>({
      connection: workerRedis,
      prefix,
      types: [work],
      deps,
      log: silentLogger,
    });
    await workers.ready();
  };
  const state = async (id: string) => (await queues.job('work', id))?.getState();
  const settle = async (id: string, want: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const s = await state(id);
      if (s === want) return;
      if (Date.now() > deadline) assert.fail(`job ${id} is ${String(s)}, not ${want}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('a job added twice under one id exists once and runs once, with progress', async () => {
    await queues.enqueue([
      { queue: 'work', id: 'work-1', data: { v: 1, name: 'a' } },
      { queue: 'work', id: 'work-1', data: { v: 1, name: 'a' } },
    ]);
    await queues.enqueue([{ queue: 'work', id: 'work-1', data: { v: 1, name: 'a' } }]);
    assert.equal((await queues.counts('work')).waiting, 1);
    await startWorkers();
    await settle('work-1', 'completed');
    // Added again after completion (a relay replay): still a no-op.
    await queues.enqueue([{ queue: 'work', id: 'work-1', data: { v: 1, name: 'a' } }]);
    await new Promise((r) => setTimeout(r, 100));
    const job = await queues.job('work', 'work-1');
    assert.equal(job?.progress, 100);
    assert.deepEqual(job?.returnvalue, { ok: 1 });
    assert.equal(deps.runs.get('a'), 1);
    assert.deepEqual(await queues.counts('work'), {
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      completed: 1,
      failed: 0,
    });
  });

  it('retries with backoff until an attempt succeeds', async () => {
    deps.failUntil.set('flaky', 2);
    await startWorkers();
    await queues.enqueue([{ queue: 'work', id: 'work-flaky', data: { v: 1, name: 'flaky' } }]);
    await settle('work-flaky', 'completed');
    assert.equal(deps.runs.get('flaky'), 3);
    assert.equal((await queues.job('work', 'work-flaky'))?.attemptsMade, 3);
  });

  it('a job that fails every attempt is kept as failed, and retryJob runs it again', async () => {
    deps.failUntil.set('down', 3);
    await startWorkers();
    await queues.enqueue([{ queue: 'work', id: 'work-down', data: { v: 1, name: 'down' } }]);
    await settle('work-down', 'failed');
    const failed = await queues.job('work', 'work-down');
    assert.equal(failed?.attemptsMade, 3);
    assert.match(failed?.failedReason ?? '', /attempt 3 fails/);
    assert.equal(await queues.retryJob('work', 'work-down'), true);
    await settle('work-down', 'completed');
    assert.equal(deps.runs.get('down'), 4);
    assert.equal(await queues.retryJob('work', 'work-down'), false, 'only failed jobs are retried');
    assert.equal(await queues.retryJob('work', 'no-such-job'), false);
  });

  it('UnrecoverableError and unknown payload versions fail at once, without retries', async () => {
    await startWorkers();
    await queues.enqueue([
      { queue: 'work', id: 'work-corrupt', data: { v: 1, name: 'corrupt' } },
      { queue: 'work', id: 'work-future', data: { v: 2, name: 'future' } as unknown as Payload },
    ]);
    await settle('work-corrupt', 'failed');
    await settle('work-future', 'failed');
    assert.equal(deps.runs.get('corrupt'), 1);
    assert.equal(deps.runs.get('future'), undefined, 'never reached process()');
    assert.match((await queues.job('work', 'work-future'))?.failedReason ?? '', /payload version 2/);
  });

  it('close() drains: an active job finishes before close resolves', async () => {
    let open!: () => void;
    deps.gate = new Promise<void>((r) => (open = r));
    await startWorkers();
    await queues.enqueue([{ queue: 'work', id: 'work-slow', data: { v: 1, name: 'slow' } }]);
    await settle('work-slow', 'active');
    let closed = false;
    const closing = workers!.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(closed, false, 'close waits for the active job');
    open();
    await closing;
    assert.equal(await state('work-slow'), 'completed');
  });

  it('unknown queue names are refused with the list of queues', () => {
    assert.throws(() => queues.queue('nope'), /unknown queue "nope"; queues: work/);
  });
});
