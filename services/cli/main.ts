#!/usr/bin/env node
/**
 * The `strata` command. The only module that reads process.env and argv; it
 * hands them to the command, prints errors as "strata: <message>" and exits
 * with 2 for bad usage or configuration, 1 for other failures.
 */
import fs from 'node:fs';
import { ConfigError } from '../../shared/config.js';
import { parseArgs, UsageError, type FlagSpec } from './args.js';
import { helpText, serveFlags, userFlags, workerFlags } from './help.js';

const noFlags: FlagSpec = { strings: [], booleans: ['help', 'version'] };

function version(): string {
  const pkg = new URL('../../../package.json', import.meta.url);
  try {
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      process.stdout.write(helpText(command === 'help' ? rest.join(' ') : undefined) + '\n');
      return 0;
    }
    case 'version':
    case '--version':
      process.stdout.write(`strata ${version()}\n`);
      return 0;
    case 'serve': {
      const { positionals, flags } = parseArgs(rest, serveFlags, 'serve');
      if (flags['help']) return printHelp('serve');
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'serve');
      // Loaded on demand, so help and usage errors never open SQLite.
      const { serve } = await import('./serve.js');
      return serve(env, flags);
    }
    case 'worker': {
      const { positionals, flags } = parseArgs(rest, workerFlags, 'worker');
      if (flags['help']) return printHelp('worker');
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'worker');
      const { worker } = await import('./worker.js');
      return worker(env, flags);
    }
    case 'user': {
      const { positionals, flags } = parseArgs(rest, userFlags, 'user');
      if (flags['help']) return printHelp('user');
      const { user } = await import('./user.js');
      return user(env, positionals, flags);
    }
    default:
      parseArgs(rest, noFlags);
      throw new UsageError(`unknown command "${command}"`);
  }
}

function printHelp(command: string): number {
  process.stdout.write(helpText(command) + '\n');
  return 0;
}

try {
  process.exitCode = await run(process.argv.slice(2), process.env);
} catch (e) {
  if (e instanceof UsageError) {
    const hint = e.command ? `strata ${e.command} --help` : 'strata --help';
    process.stderr.write(`strata: ${e.message}\nRun "${hint}" for usage.\n`);
    process.exitCode = 2;
  } else if (e instanceof ConfigError) {
    process.stderr.write(`strata: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`strata: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env['STRATA_LOG_LEVEL'] === 'debug' && e instanceof Error)
      process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  }
}
// After serve's graceful close, lingering handles (a client's idle socket) must not keep us alive.
process.exit(process.exitCode);
