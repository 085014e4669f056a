/**
 * `strata user add|list|remove`: manages users directly in the store of a data
 * dir. SQLite in WAL mode lets this run next to a `strata serve` on the same
 * data dir; the server sees the change on its next request.
 */
import fs from 'node:fs';
import { loadConfig, type Flags } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { generateAccessKey, generateSecretKey } from '../server/root-credentials.js';
import { createStore } from '../store/index.js';
import type { ObjectStore, User } from '../store/types.js';
import { UsageError } from './args.js';

/** Same rules as the root user's keys (shared/config.ts). */
const ACCESS_KEY = /^[A-Za-z0-9+/=._-]{3,128}$/;

export async function user(
  env: NodeJS.ProcessEnv,
  positionals: readonly string[],
  flags: Flags,
): Promise<number> {
  const [sub, ...rest] = positionals;
  switch (sub) {
    case 'add':
      return add(env, rest, flags);
    case 'list':
      expectArgs('user list', rest, 0);
      return withStore(env, flags, false, (store) => list(store));
    case 'remove':
      expectArgs('user remove', rest, 1);
      return withStore(env, flags, false, (store) => remove(store, rest[0]!));
    case undefined:
      throw new UsageError('missing subcommand: add, list or remove', 'user');
    default:
      throw new UsageError(`unknown subcommand "user ${sub}"`, 'user');
  }
}

function expectArgs(command: string, args: readonly string[], n: number): void {
  if (args.length < n) throw new UsageError(`${command}: missing NAME or ACCESS_KEY`, 'user');
  if (args.length > n) throw new UsageError(`${command}: unexpected argument "${args[n]}"`, 'user');
}

async function add(env: NodeJS.ProcessEnv, args: readonly string[], flags: Flags): Promise<number> {
  if (args.length !== 1) throw new UsageError('user add needs exactly one NAME', 'user');
  const name = args[0]!;
  const given = { accessKey: flags['access-key'], secretKey: flags['secret-key'] };
  if ((typeof given.accessKey === 'string') !== (typeof given.secretKey === 'string')) {
    throw new UsageError('--access-key and --secret-key must be given together', 'user');
  }
  const accessKey = typeof given.accessKey === 'string' ? given.accessKey : generateAccessKey();
  const secretKey = typeof given.secretKey === 'string' ? given.secretKey : generateSecretKey();
  if (!ACCESS_KEY.test(accessKey)) {
    throw new UsageError('--access-key must be 3-128 characters of letters, digits and +/=._-', 'user');
  }
  if (secretKey.length < 8) throw new UsageError('--secret-key must be at least 8 characters long', 'user');
  return withStore(env, flags, true, (store) => {
    const u = store.createUser(name, accessKey, secretKey);
    process.stdout.write(
      `Created user ${u.displayName}\n` +
        `  Access key:  ${u.accessKey}\n` +
        `  Secret key:  ${u.secretKey}\n\n` +
        `  export AWS_ACCESS_KEY_ID=${u.accessKey} AWS_SECRET_ACCESS_KEY=${u.secretKey}\n`,
    );
    return 0;
  });
}

function list(store: ObjectStore): number {
  const users = store.listUsers();
  const rows = [
    ['NAME', 'ACCESS KEY', 'ROOT', 'CREATED'],
    ...users.map((u: User) => [
      u.displayName,
      u.accessKey,
      u.isRoot ? 'yes' : 'no',
      u.createdAt.toISOString(),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    process.stdout.write(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ') + '\n');
  }
  return 0;
}

function remove(store: ObjectStore, nameOrKey: string): number {
  const target = store.listUsers().find((u) => u.accessKey === nameOrKey || u.displayName === nameOrKey);
  if (!target || !store.removeUser(nameOrKey)) {
    process.stderr.write(`strata: no user named or with access key "${nameOrKey}"\n`);
    return 1;
  }
  process.stdout.write(`Removed user ${target.displayName} (${target.accessKey})\n`);
  return 0;
}

/** Opens the store of the configured data dir, runs fn, and always closes the store. */
async function withStore(
  env: NodeJS.ProcessEnv,
  flags: Flags,
  create: boolean,
  fn: (store: ObjectStore) => number,
): Promise<number> {
  // Only --data-dir goes to loadConfig: --access-key/--secret-key here name the new user, not root.
  const config = loadConfig(env, { 'data-dir': flags['data-dir'] });
  if (!create && !fs.existsSync(config.dataDir)) {
    process.stderr.write(
      `strata: no data dir at ${config.dataDir} (start "strata serve" first, or pass --data-dir)\n`,
    );
    return 1;
  }
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const store = createStore({ dataDir: config.dataDir, log });
  try {
    await store.ready();
    return fn(store);
  } finally {
    await store.close();
  }
}
