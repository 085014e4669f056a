/**
 * `strata serve`: loads the configuration, makes sure Redis answers (starting
 * a redis-server child when needed, redis-autostart.ts), starts a Strata node
 * with the event relay and — unless --no-workers — every job worker, prints
 * how to reach it and stops it gracefully on SIGINT / SIGTERM (a second signal
 * exits at once, for when a client keeps a request open).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { loadConfig, type Config, type Flags } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { startMemoryTrim } from '../../shared/memory-trim.js';
import { createStrataNode, type StrataNode } from '../server/app.js';
import { ensureRedis } from './redis-autostart.js';
import { untilSignal } from './until-signal.js';

/** Runs until a signal stops the node; resolves with the process exit code. */
export async function serve(env: NodeJS.ProcessEnv, flags: Flags): Promise<number> {
  const config = loadConfig(env, flags);
  const log = createLogger(config.logLevel);
  const redis = await ensureRedis(config, env['PATH'], log);
  let node: StrataNode;
  try {
    node = await createStrataNode(config, log, {
      relay: true,
      workers: flags['no-workers'] === true ? false : 'thread',
    });
  } catch (e) {
    await redis?.stop();
    throw e;
  }
  let port: number;
  try {
    port = await node.listen();
  } catch (e) {
    await node.close().catch(() => undefined);
    await redis?.stop();
    throw listenError(e, config);
  }
  process.stdout.write(banner(config, node, port));
  // Free malloc memory back to the system after GCs and bursts (shared/memory-trim.ts); absent addon: no-op.
  const trimmer = startMemoryTrim();
  // S3 requests make the bursts it gives memory back after; /_strata/ ones (a dashboard's
  // subscription stays open for hours) do not count.
  if (trimmer) {
    node.httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/_strata/')) res.once('close', trimmer.requestStarted());
    });
  }
  log.info('strata ready', {
    host: config.host,
    port,
    dataDir: config.dataDir,
    memoryTrim: trimmer !== undefined,
  });

  return untilSignal(log, 'shutting down', async () => {
    trimmer?.stop();
    const errs: unknown[] = [];
    await node.close().catch((e: unknown) => errs.push(e));
    // Redis goes last: the node's relay and workers needed it until they stopped.
    await redis?.stop().catch((e: unknown) => errs.push(e));
    return errs;
  });
}

function listenError(e: unknown, config: Config): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') return new Error(`cannot listen on ${where}: the port is already in use`);
  if (code === 'EACCES') return new Error(`cannot listen on ${where}: permission denied`);
  return new Error(`cannot listen on ${where}: ${(e as Error).message}`, { cause: e });
}

function banner(config: Config, node: StrataNode, port: number): string {
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const endpoint = `http://${host}:${port}`;
  const { accessKey, secretKey, generated } = node.credentials;
  const credFile = path.join(config.dataDir, 'root-credentials.json');
  const origin = generated
    ? [`  (generated now and saved to ${credFile})`]
    : config.accessKey === undefined
      ? [`  (read from ${credFile})`]
      : [];
  return [
    '',
    'Strata is running.',
    `  Endpoint:    ${endpoint}${wildcard ? `   (listening on ${config.host}:${port})` : ''}`,
    `  Region:      ${config.region}`,
    `  Data dir:    ${config.dataDir}`,
    `  Access key:  ${accessKey}`,
    `  Secret key:  ${secretKey}`,
    ...origin,
    '',
    'Use it with the AWS CLI:',
    `  export AWS_ACCESS_KEY_ID=${accessKey} AWS_SECRET_ACCESS_KEY=${secretKey} AWS_DEFAULT_REGION=${config.region}`,
    `  aws --endpoint-url ${endpoint} s3 ls`,
    '',
    'Press Ctrl+C to stop.',
    '',
    '',
  ].join('\n');
}
