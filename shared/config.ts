/**
 * Configuration is read once at start from the environment and CLI flags,
 * validated, frozen and passed down. No module reads process.env itself.
 */
import path from 'node:path';
import { loadJobsConfig, type JobsConfig } from './jobs-config.js';
import { loadMetricsConfig, type MetricsConfig } from './metrics-config.js';
import { loadNotifyConfig, type NotifyConfig } from './notify-config.js';

export interface Config {
  /** TCP port of the S3 API, GraphQL, dashboard and metrics (STRATA_PORT). */
  readonly port: number;
  /** Interface to listen on (STRATA_HOST). */
  readonly host: string;
  /** Root of all on-disk state (STRATA_DATA_DIR). */
  readonly dataDir: string;
  /** Root user's credentials; undefined means "generate or reuse the saved ones". */
  readonly accessKey: string | undefined;
  readonly secretKey: string | undefined;
  /** Region reported by GetBucketLocation and required in SigV4 scopes (STRATA_REGION). */
  readonly region: string;
  /**
   * Domains under which virtual-host-style requests arrive (STRATA_DOMAIN,
   * comma separated), e.g. "localhost" makes bucket.localhost:9000 work.
   */
  readonly domains: readonly string[];
  /** Largest single PUT / part body in bytes (STRATA_MAX_OBJECT_SIZE). S3: 5 GiB. */
  readonly maxObjectSize: number;
  /** Allowed clock skew for signed requests, in seconds (S3 uses 15 minutes). */
  readonly maxClockSkewSeconds: number;
  /** Log level (STRATA_LOG_LEVEL): error, warn, info, debug. */
  readonly logLevel: LogLevel;
  /** Redis for the job bus and pub/sub (STRATA_REDIS_URL). */
  readonly redisUrl: string;
  /**
   * Prefix of every Redis key and channel Strata uses (STRATA_REDIS_PREFIX), so
   * several Strata deployments (or test runs) can share one Redis.
   */
  readonly redisPrefix: string;
  /** Bucket-notification targets and webhook delivery (STRATA_NOTIFY_*, see notify-config.ts). */
  readonly notify: NotifyConfig;
  /** Who may scrape /_strata/metrics (STRATA_METRICS_AUTH, STRATA_METRICS_TOKEN; see metrics-config.ts). */
  readonly metrics: MetricsConfig;
  /** Job worker settings (STRATA_JOB_LOCK_MS; see jobs-config.ts). */
  readonly jobs: JobsConfig;
  /**
   * Worker threads that scan large uncompressed CSV and JSON LINES objects for
   * S3 Select in parallel (STRATA_SELECT_THREADS); 0 = one per available core,
   * 1 = scan on the request's thread only.
   */
  readonly selectThreads: number;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Flags as parsed from the command line: --port 9100 → { port: '9100' }. */
export type Flags = Readonly<Record<string, string | boolean | undefined>>;

const GiB = 1024 ** 3;

function pick(flags: Flags, env: NodeJS.ProcessEnv, flag: string, envName: string): string | undefined {
  const f = flags[flag];
  if (typeof f === 'string') return f;
  const e = env[envName];
  return e === undefined || e === '' ? undefined : e;
}

function integer(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: Flags = {}): Config {
  const port = integer('STRATA_PORT', pick(flags, env, 'port', 'STRATA_PORT'), 9000, 0, 65535);
  const host = pick(flags, env, 'host', 'STRATA_HOST') ?? '0.0.0.0';
  const dataDir = path.resolve(pick(flags, env, 'data-dir', 'STRATA_DATA_DIR') ?? './data');
  const accessKey = pick(flags, env, 'access-key', 'STRATA_ACCESS_KEY');
  const secretKey = pick(flags, env, 'secret-key', 'STRATA_SECRET_KEY');
  if ((accessKey === undefined) !== (secretKey === undefined)) {
    throw new ConfigError('STRATA_ACCESS_KEY and STRATA_SECRET_KEY must be set together');
  }
  if (accessKey !== undefined && !/^[A-Za-z0-9+/=._-]{3,128}$/.test(accessKey)) {
    throw new ConfigError('STRATA_ACCESS_KEY must be 3-128 characters of letters, digits and +/=._-');
  }
  if (secretKey !== undefined && secretKey.length < 8) {
    throw new ConfigError('STRATA_SECRET_KEY must be at least 8 characters long');
  }
  const region = pick(flags, env, 'region', 'STRATA_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,64}$/.test(region)) {
    throw new ConfigError(`STRATA_REGION must be lower-case letters, digits and dashes, got "${region}"`);
  }
  const domains = (pick(flags, env, 'domain', 'STRATA_DOMAIN') ?? 'localhost')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  const maxObjectSize = integer(
    'STRATA_MAX_OBJECT_SIZE',
    pick(flags, env, 'max-object-size', 'STRATA_MAX_OBJECT_SIZE'),
    5 * GiB,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const logLevel = (pick(flags, env, 'log-level', 'STRATA_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError(`STRATA_LOG_LEVEL must be one of error, warn, info, debug, got "${logLevel}"`);
  }
  const redisUrl = pick(flags, env, 'redis-url', 'STRATA_REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`STRATA_REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  const redisPrefix = pick(flags, env, 'redis-prefix', 'STRATA_REDIS_PREFIX') ?? 'strata';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('STRATA_REDIS_PREFIX must be 1-64 letters, digits, dots, dashes or underscores');
  }
  return Object.freeze({
    port,
    host,
    dataDir,
    accessKey,
    secretKey,
    region,
    domains: Object.freeze(domains),
    maxObjectSize,
    maxClockSkewSeconds: 15 * 60,
    logLevel,
    redisUrl,
    redisPrefix,
    notify: loadNotifyConfig(env),
    metrics: loadMetricsConfig(env),
    jobs: loadJobsConfig(env),
    selectThreads: integer('STRATA_SELECT_THREADS', pick({}, env, '', 'STRATA_SELECT_THREADS'), 0, 0, 256),
  });
}
