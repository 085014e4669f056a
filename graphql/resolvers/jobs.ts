/**
 * Job queries and retryJob. Jobs belong to every user's buckets, so only the
 * root user may read or retry them (AccessDenied otherwise).
 */
import { errors } from '../../shared/errors.js';
import type { GraphqlContext } from '../context.js';
import type { JobStateName, JobsSource } from '../jobs/jobs-source.js';
import { pageSize } from './cursor.js';

function jobsOf(ctx: GraphqlContext): JobsSource | undefined {
  if (!ctx.user.isRoot) throw errors.accessDenied();
  return ctx.jobs;
}

function requireJobs(ctx: GraphqlContext, queue: string): JobsSource {
  const jobs = jobsOf(ctx);
  if (!jobs) throw errors.invalidArgument(`There is no queue named ${queue}`, 'queue', queue);
  return jobs;
}

export const jobQueries = {
  queues: async (_: unknown, __: unknown, ctx: GraphqlContext) => {
    const jobs = jobsOf(ctx);
    if (!jobs) return [];
    return Promise.all(jobs.queueNames().map(async (name) => ({ name, counts: await jobs.counts(name) })));
  },
  jobs: async (
    _: unknown,
    args: { queue: string; state?: JobStateName | null; first?: number | null },
    ctx: GraphqlContext,
  ) => {
    const jobs = requireJobs(ctx, args.queue);
    const first = pageSize(args.first, 20);
    const [counts, items] = await Promise.all([
      jobs.counts(args.queue),
      jobs.list(args.queue, args.state ?? undefined, first),
    ]);
    return { queue: args.queue, state: args.state ?? null, counts, items };
  },
};

export const jobMutations = {
  retryJob: (_: unknown, args: { queue: string; id: string }, ctx: GraphqlContext) =>
    requireJobs(ctx, args.queue).retry(args.queue, args.id),
};
