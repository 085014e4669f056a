/**
 * Command-line parsing for `strata`: `--flag value`, `--flag=value`, boolean
 * `--flag`, and positionals. Each command declares the flags it knows, so a
 * typo is a clear error instead of a silently ignored option.
 */

/** Thrown for bad command lines; the entry point prints it and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to point at, e.g. "user add". */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Flags that take a value: --port 9000, --port=9000. */
  readonly strings: readonly string[];
  /** Flags that are on when present: --help, --json. */
  readonly booleans: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean>>;
}

/** Parses argv (without node and script) against a command's flags. */
export function parseArgs(argv: readonly string[], spec: FlagSpec, command?: string): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags['help'] = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg}`, command);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (spec.booleans.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`, command);
      flags[name] = true;
    } else if (spec.strings.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith('--') && value.length > 2)) {
          throw new UsageError(`--${name} needs a value`, command);
        }
        i++;
      }
      flags[name] = value;
    } else {
      throw new UsageError(`unknown flag --${name}`, command);
    }
  }
  return { positionals, flags };
}
