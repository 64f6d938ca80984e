/**
 * Command-line parsing for `jetbase` (Python Jetbase's command names and flags, plus this project's global
 * flags). Pure: argv in, a typed invocation out, UsageError (exit code 2) for anything malformed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DialectName } from '../engine/dialect.js';
import { UsageError } from '../engine/errors.js';

export const COMMAND_NAMES = [
  'init',
  'new',
  'upgrade',
  'rollback',
  'status',
  'validate',
  'history',
  'current',
  'lock-status',
  'unlock',
  'validate-checksums',
  'validate-files',
  'fix-checksums',
  'fix-files',
  'fix',
  'lint',
  'verify',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export interface GlobalOptions {
  /** `--dir`, as given (resolved against the cwd later). */
  readonly dir?: string;
  readonly url?: string;
  readonly json: boolean;
  readonly lockTimeoutSeconds?: number;
  /** `--connect-timeout`: how long to retry the first connection while the database is starting. */
  readonly connectTimeoutSeconds?: number;
  readonly postgresSchema?: string;
  /** `--no-color`. */
  readonly noColor: boolean;
}

export interface SkipFlags {
  readonly skipValidation: boolean;
  readonly skipChecksumValidation: boolean;
  readonly skipFileValidation: boolean;
}

export type Command =
  | { readonly name: 'init' }
  | { readonly name: 'new'; readonly description: string; readonly version?: string }
  | ({
      readonly name: 'upgrade';
      readonly count?: number;
      readonly toVersion?: string;
      readonly dryRun: boolean;
    } & SkipFlags)
  | {
      readonly name: 'rollback';
      readonly count?: number;
      readonly toVersion?: string;
      readonly dryRun: boolean;
    }
  | ({ readonly name: 'status' | 'validate' } & SkipFlags)
  | { readonly name: 'validate-checksums'; readonly fix: boolean }
  | { readonly name: 'validate-files'; readonly fix: boolean }
  | { readonly name: 'fix-checksums' }
  | { readonly name: 'fix-files' }
  | { readonly name: 'history' | 'current' | 'lock-status' | 'unlock' | 'fix' }
  | { readonly name: 'lint'; readonly dialect?: DialectName }
  /** `--url` names the disposable database here, not the target. */
  | { readonly name: 'verify'; readonly url: string };

export type Invocation =
  | { readonly kind: 'help'; readonly command?: CommandName }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly command: Command; readonly options: GlobalOptions };

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const GLOBAL_OPTIONS: OptionSpec = {
  dir: { type: 'string' },
  url: { type: 'string' },
  json: { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'postgres-schema': { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const COUNT_AND_TARGET: OptionSpec = {
  count: { type: 'string', short: 'c' },
  'to-version': { type: 'string', short: 't' },
  'dry-run': { type: 'boolean', short: 'd' },
};

const SKIP_OPTIONS: OptionSpec = {
  'skip-validation': { type: 'boolean' },
  'skip-checksum-validation': { type: 'boolean' },
  'skip-file-validation': { type: 'boolean' },
};

const FIX_OPTION: OptionSpec = { fix: { type: 'boolean', short: 'f' } };

/** The options each command accepts besides the global ones. */
const COMMAND_OPTIONS: Readonly<Record<CommandName, OptionSpec>> = {
  init: {},
  new: { version: { type: 'string', short: 'v' } },
  upgrade: { ...COUNT_AND_TARGET, ...SKIP_OPTIONS },
  rollback: COUNT_AND_TARGET,
  status: SKIP_OPTIONS,
  validate: SKIP_OPTIONS,
  history: {},
  current: {},
  'lock-status': {},
  unlock: {},
  'validate-checksums': FIX_OPTION,
  'validate-files': FIX_OPTION,
  'fix-checksums': {},
  'fix-files': {},
  fix: {},
  lint: { dialect: { type: 'string' } },
  verify: {},
};

const LINT_DIALECTS: readonly DialectName[] = ['postgresql', 'mysql', 'sqlite', 'snowflake', 'databricks'];

/** Global options that take a value: their value is never mistaken for the command name. */
const GLOBAL_VALUE_OPTIONS = new Set([
  '--dir',
  '--url',
  '--lock-timeout',
  '--connect-timeout',
  '--postgres-schema',
]);

function isCommandName(value: string): value is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

/** Index of the command word: the first token that is neither an option nor a global option's value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return -1;
    if (!token.startsWith('-')) return i;
    if (GLOBAL_VALUE_OPTIONS.has(token)) i++;
  }
  return -1;
}

/**
 * `--count -1` would be read by parseArgs as a missing value followed by an unknown option `-1`;
 * Jetbase reads it as the number -1 (then rejects it). Glue negative numbers to their option.
 */
function glueNegativeNumbers(argv: readonly string[], spec: OptionSpec): string[] {
  const valueOptions = new Set<string>();
  for (const [name, option] of Object.entries(spec)) {
    if (option.type !== 'string') continue;
    valueOptions.add(`--${name}`);
    if (option.short) valueOptions.add(`-${option.short}`);
  }
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    if (valueOptions.has(token) && next !== undefined && /^-\d/.test(next)) {
      const long = token.startsWith('--') ? token : `--${longNameOf(token.slice(1), spec)}`;
      result.push(`${long}=${next}`);
      i++;
    } else result.push(token);
  }
  return result;
}

function longNameOf(short: string, spec: OptionSpec): string {
  return Object.entries(spec).find(([, option]) => option.short === short)?.[0] ?? short;
}

/** parseArgs' errors, in Click's wording where Jetbase users know it. */
function usageErrorOf(error: unknown, command: CommandName | undefined): UsageError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const hint = `Run 'jetbase ${command === undefined ? '' : `${command} `}--help' for the options.`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;
    return new UsageError(`No such option: ${option}`, { hint });
  }
  return new UsageError(message.split('\n')[0] ?? message, { hint });
}

function parseInteger(raw: string, flags: readonly string[]): number {
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    throw new UsageError(`Invalid value for '${flags.join("' / '")}': '${raw}' is not a valid integer.`);
  }
  return Number(raw.trim());
}

function parseSeconds(raw: string, flagName: string): number {
  const seconds = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`Invalid value for '${flagName}': '${raw}' is not a number of seconds (0 or more).`);
  }
  return seconds;
}

type Values = Record<string, string | boolean | undefined>;

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

function skipFlags(values: Values): SkipFlags {
  return {
    skipValidation: flag(values, 'skip-validation'),
    skipChecksumValidation: flag(values, 'skip-checksum-validation'),
    skipFileValidation: flag(values, 'skip-file-validation'),
  };
}

function countAndTarget(values: Values): { count?: number; toVersion?: string; dryRun: boolean } {
  const count = text(values, 'count');
  const toVersion = text(values, 'to-version');
  return {
    ...(count === undefined ? {} : { count: parseInteger(count, ['--count', '-c']) }),
    ...(toVersion === undefined ? {} : { toVersion }),
    dryRun: flag(values, 'dry-run'),
  };
}

function buildCommand(name: CommandName, values: Values, positionals: readonly string[]): Command {
  const expected = name === 'new' ? 1 : 0;
  if (name === 'new' && positionals.length === 0)
    throw new UsageError("Missing argument 'DESCRIPTION'.", {
      hint: 'Usage: jetbase new DESCRIPTION [-v VERSION]',
    });
  if (positionals.length > expected) {
    throw new UsageError(
      `Got unexpected extra argument${positionals.length - expected === 1 ? '' : 's'} (${positionals.slice(expected).join(' ')})`,
      {
        hint:
          name === 'new'
            ? 'Quote a description that has spaces: jetbase new "create users table"'
            : `Run 'jetbase ${name} --help' for the usage.`,
      },
    );
  }
  switch (name) {
    case 'new': {
      const version = text(values, 'version');
      return { name, description: positionals[0]!, ...(version === undefined ? {} : { version }) };
    }
    case 'upgrade':
      return { name, ...countAndTarget(values), ...skipFlags(values) };
    case 'rollback':
      return { name, ...countAndTarget(values) };
    case 'status':
    case 'validate':
      return { name, ...skipFlags(values) };
    case 'validate-checksums':
    case 'validate-files':
      return { name, fix: flag(values, 'fix') };
    case 'fix-checksums':
    case 'fix-files':
      return { name };
    case 'lint': {
      const dialect = text(values, 'dialect');
      if (dialect === undefined) return { name };
      const known = LINT_DIALECTS.find((d) => d === dialect.trim().toLowerCase());
      if (known === undefined)
        throw new UsageError(
          `Invalid value for '--dialect': '${dialect}' is not one of ${LINT_DIALECTS.join(', ')}.`,
        );
      return { name, dialect: known };
    }
    case 'verify': {
      const url = text(values, 'url');
      if (url === undefined)
        throw new UsageError("Missing option '--url': the empty, throw-away database to verify on.", {
          hint: 'Usage: jetbase verify --url URL [--json]   (e.g. --url sqlite:///:memory:)',
        });
      return { name, url };
    }
    default:
      return { name };
  }
}

export function parseCliArgs(argv: readonly string[]): Invocation {
  const index = commandIndex(argv);
  if (index < 0) {
    // No command word: `jetbase`, `jetbase --help`, `jetbase --version`, or only options.
    if (argv.includes('--version')) return { kind: 'version' };
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
    throw new UsageError('Missing command.', { hint: "Run 'jetbase --help' for the list of commands." });
  }
  const word = argv[index]!;
  if (!isCommandName(word)) {
    throw new UsageError(`No such command '${word}'.`, {
      hint: "Run 'jetbase --help' for the list of commands.",
    });
  }
  const spec: OptionSpec = { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[word] };
  const rest = glueNegativeNumbers([...argv.slice(0, index), ...argv.slice(index + 1)], spec);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: spec, allowPositionals: true, strict: true }) as {
      values: Values;
      positionals: string[];
    };
  } catch (error) {
    throw usageErrorOf(error, word);
  }
  const { values, positionals } = parsed;
  if (flag(values, 'help')) return { kind: 'help', command: word };

  const dir = text(values, 'dir');
  const url = text(values, 'url');
  // `--url "$DATABASE_URL"` with the variable unset must not fall through to another database.
  if (url !== undefined && url.trim() === '') {
    throw new UsageError("Invalid value for '--url': the database URL is empty.", {
      hint: 'Pass a URL, or leave --url out to use JETBASE_SQLALCHEMY_URL, env.py or jetbase.toml.',
    });
  }
  const lockTimeout = text(values, 'lock-timeout');
  const connectTimeout = text(values, 'connect-timeout');
  const postgresSchema = text(values, 'postgres-schema');
  const options: GlobalOptions = {
    ...(dir === undefined ? {} : { dir }),
    ...(url === undefined ? {} : { url }),
    json: flag(values, 'json'),
    ...(lockTimeout === undefined ? {} : { lockTimeoutSeconds: parseSeconds(lockTimeout, '--lock-timeout') }),
    ...(connectTimeout === undefined
      ? {}
      : { connectTimeoutSeconds: parseSeconds(connectTimeout, '--connect-timeout') }),
    ...(postgresSchema === undefined ? {} : { postgresSchema }),
    noColor: flag(values, 'no-color'),
  };
  return { kind: 'run', command: buildCommand(word, values, positionals), options };
}
