/**
 * Configuration resolution. Per key, highest first: overrides (CLI flags / action inputs) >
 * `JETBASE_<KEY>` env (empty = unset; `ASYNC` for async_mode) > `jetbase/env.py` >
 * `jetbase/jetbase.toml` > `[tool.jetbase]` of the first pyproject.toml walking up from the jetbase
 * directory. (Jetbase itself puts env.py above the environment; here the environment wins, so that
 * CI can override what a committed env.py says.) Lower layers are read only when a key falls
 * through to them, and each at most once per call.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { ConfigError, JetbaseError } from '../engine/errors.js';
import { type Redactor, redactor as defaultRedactor } from '../report/redact.js';
import { readUtf8File } from './text-file.js';
import { type EnvPyResult, findPython, loadEnvPy } from './env-py.js';
import type { PythonCommand } from './env-py-evaluate.js';
import { CONFIG_KEYS, type EnvPyValue } from './env-py-values.js';
import type { ConfigKey, ConfigOverrides, ConfigSource, JetbaseConfig } from './types.js';
import { parseDatabaseUrl, urlSecrets } from './url.js';

export interface ResolveConfigArgs {
  readonly jetbaseDir: string;
  readonly overrides?: ConfigOverrides;
  /** The environment: `JETBASE_*` and `ASYNC` are read from it, and Python is looked for on its PATH. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * What env.py sees: the variables its lookups read when it is read statically, and Python's
   * whole environment when it is evaluated. Default `env`. (The action passes an environment
   * without its own inputs and the runner's tokens.)
   */
  readonly envPyEnv?: NodeJS.ProcessEnv;
  /**
   * Python for an env.py that needs it: undefined = `python3`, `python` or `py -3` on env's PATH;
   * a string = that executable; null = none.
   */
  readonly python?: PythonCommand | string | null;
  /**
   * Forbids running env.py (repository code), e.g. when the checkout may come from a fork while
   * the run has the repository's secrets. env.py is then read statically only; when it needs
   * Python, nothing of it runs, nothing is thrown, sqlalchemy_url is not taken from it (nor from a
   * file below it), and the result's `envPyNotExecuted` says so with this reason.
   */
  readonly forbidEnvPyExecution?: { readonly reason: string } | undefined;
  /** Where the resolved secrets are registered; default the process-wide redactor. */
  readonly redactor?: Redactor;
}

type KeyKind = 'string' | 'boolean' | 'list';

const KEY_KINDS: Readonly<Record<ConfigKey, KeyKind>> = {
  sqlalchemy_url: 'string',
  async_mode: 'boolean',
  postgres_schema: 'string',
  model_paths: 'list',
  skip_validation: 'boolean',
  skip_checksum_validation: 'boolean',
  skip_file_validation: 'boolean',
  snowflake_private_key: 'string',
  snowflake_private_key_password: 'string',
};

type ConfigValue = string | boolean | readonly string[];

interface Found {
  readonly value: ConfigValue;
  readonly source: ConfigSource;
}

export const MODEL_PATHS_NOTICE =
  'model_paths is accepted but not applicable: jetbase-action runs SQL migrations only';

export const DOTENV_STAND_IN_NOTICE =
  'env.py uses python-dotenv, which Python could not import: a built-in stand-in read the .env file ' +
  '(KEY=value lines, quotes, export, ${VAR} references)';

export async function resolveConfig(args: ResolveConfigArgs): Promise<JetbaseConfig> {
  const env = args.env ?? process.env;
  const jetbaseDir = path.resolve(args.jetbaseDir);
  const overrides = args.overrides ?? {};
  const notices: string[] = [];

  let envPy: Promise<EnvPyResult | null> | undefined;
  const readEnvPy = (): Promise<EnvPyResult | null> => {
    envPy ??= loadEnvPy({
      jetbaseDir,
      env: args.envPyEnv ?? env,
      python: pythonCommand(args.python, env),
      forbidExecution: args.forbidEnvPyExecution,
    });
    return envPy;
  };
  // The TOML parser loads only when there is a TOML file to read (it is a dozen modules at start-up).
  const jetbaseTomlFile = path.join(jetbaseDir, 'jetbase.toml');
  const pyprojectFile = firstPyproject(jetbaseDir);
  const parseToml: TomlParser =
    isFile(jetbaseTomlFile) || pyprojectFile !== null ? (await import('smol-toml')).parse : () => ({});
  let jetbaseToml: Record<string, unknown> | null | undefined;
  const readJetbaseToml = (): Record<string, unknown> | null =>
    (jetbaseToml ??= readTomlFile(jetbaseTomlFile, parseToml));
  let pyproject: { file: string; table: Record<string, unknown> } | null | undefined;
  const readPyproject = (): { file: string; table: Record<string, unknown> } | null =>
    (pyproject ??= pyprojectFile === null ? null : readToolJetbase(pyprojectFile, parseToml));

  const found = new Map<ConfigKey, Found>();
  // sqlalchemy_url first: whether it came from above env.py decides how an unreadable env.py is handled.
  for (const key of CONFIG_KEYS) {
    const fromAbove = fromOverride(key, overrides) ?? fromEnvironment(key, env, notices);
    if (fromAbove !== undefined) {
      found.set(key, fromAbove);
      continue;
    }
    const envPyResult = await readEnvPy();
    // env.py may set the URL in the code that did not run: a file below it must not stand in for it.
    if (key === 'sqlalchemy_url' && envPyResult?.notEvaluated?.because === 'forbidden') continue;
    const fromFiles =
      fromEnvPy(key, envPyResult, found.get('sqlalchemy_url'), notices) ??
      fromTomlTable(key, readJetbaseToml(), 'jetbase.toml', 'jetbase.toml') ??
      fromPyproject(key, readPyproject());
    if (fromFiles !== undefined) found.set(key, fromFiles);
  }

  const text = (key: ConfigKey): string | null => {
    const value = found.get(key)?.value;
    return typeof value === 'string' ? value : null;
  };
  const flag = (key: ConfigKey): boolean => found.get(key)?.value === true;
  const modelPaths = found.get('model_paths')?.value;
  if (modelPaths !== undefined) notices.push(MODEL_PATHS_NOTICE);
  const envPyResult = envPy === undefined ? null : await envPy;
  if (envPyResult?.usedDotenvStandIn) notices.push(DOTENV_STAND_IN_NOTICE);
  const notEvaluated = envPyResult?.notEvaluated;
  const construct = envPyResult?.unreadConstruct ?? 'env.py needs Python';
  if (notEvaluated?.because === 'forbidden') {
    const reason = notEvaluated.reason.trim();
    notices.push(
      `env.py was not executed (${construct}): ${reason}${/[.!?]$/.test(reason) ? '' : '.'} ` +
        `Only its literal assignments were read; ${urlOrigin(found.get('sqlalchemy_url'))}.`,
    );
  }

  const sources = Object.fromEntries(
    CONFIG_KEYS.map((key) => [key, found.get(key)?.source ?? 'default']),
  ) as Record<ConfigKey, ConfigSource>;
  const config: JetbaseConfig = {
    sqlalchemyUrl: text('sqlalchemy_url'),
    asyncMode: flag('async_mode'),
    postgresSchema: text('postgres_schema'),
    modelPaths: Array.isArray(modelPaths) ? modelPaths : null,
    skipValidation: flag('skip_validation'),
    skipChecksumValidation: flag('skip_checksum_validation'),
    skipFileValidation: flag('skip_file_validation'),
    snowflakePrivateKey: text('snowflake_private_key'),
    snowflakePrivateKeyPassword: text('snowflake_private_key_password'),
    sources,
    notices: [...new Set(notices)],
    envPyNotExecuted:
      notEvaluated?.because === 'forbidden' ? { reason: notEvaluated.reason, construct } : null,
  };
  registerSecrets(config, args.redactor ?? defaultRedactor);
  return config;
}

/** The URL, or the error listing every way to configure it (Jetbase's four, plus this project's flag and input). */
export function requireUrl(config: JetbaseConfig): string {
  if (config.sqlalchemyUrl !== null) return config.sqlalchemyUrl;
  throw new ConfigError(
    [
      "Configuration 'sqlalchemy_url' not found. Please configure it using one of these methods:",
      '1. The CLI flag --url, or the action input database-url',
      '2. The environment variable: export JETBASE_SQLALCHEMY_URL="postgresql://<user>:<password>@<host>:5432/<database>"',
      '3. jetbase/env.py: sqlalchemy_url = "postgresql://<user>:<password>@<host>:5432/<database>"',
      '4. jetbase/jetbase.toml: sqlalchemy_url = "postgresql://<user>:<password>@<host>:5432/<database>"',
      '5. pyproject.toml: sqlalchemy_url = "..." under [tool.jetbase]',
    ].join('\n'),
  );
}

// ---------------------------------------------------------------------------------------------
// Layers

function fromOverride(key: ConfigKey, overrides: ConfigOverrides): Found | undefined {
  if (key === 'model_paths') return undefined;
  const value = overrides[key];
  // An action input that was not given arrives as '': the same as not given.
  if (value === undefined || value === '') return undefined;
  return { value, source: 'flag' };
}

function fromEnvironment(key: ConfigKey, env: NodeJS.ProcessEnv, notices: string[]): Found | undefined {
  if (key === 'async_mode') {
    const asyncVariable = env.ASYNC;
    if (asyncVariable !== undefined && asyncVariable !== '') {
      const parsed = parseBooleanWord(asyncVariable);
      if (parsed !== undefined) return { value: parsed, source: 'env' };
      // Jetbase (PR #86) falls back to the configured value for any other ASYNC value.
      notices.push(`ASYNC=${oneLine(asyncVariable)} is not one of true/1/yes/false/0/no and was ignored`);
    }
  }
  const name = `JETBASE_${key.toUpperCase()}`;
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  switch (KEY_KINDS[key]) {
    case 'string':
      return { value: raw, source: 'env' };
    case 'boolean': {
      const parsed = parseBooleanWord(raw);
      if (parsed === undefined) throw new ConfigError(`${name} must be true or false, got '${oneLine(raw)}'`);
      return { value: parsed, source: 'env' };
    }
    case 'list': {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length === 0 ? undefined : { value: items, source: 'env' };
    }
  }
}

function fromEnvPy(
  key: ConfigKey,
  envPy: EnvPyResult | null,
  url: Found | undefined,
  notices: string[],
): Found | undefined {
  if (envPy === null) return undefined;
  if (envPy.notEvaluated?.because === 'no-python') {
    const construct = envPy.unreadConstruct ?? 'env.py needs Python';
    if (url === undefined) {
      throw new ConfigError(
        `${construct}, which needs Python to evaluate, and python3 was not found on PATH (nor python, nor py -3). ` +
          'Install Python 3, or set JETBASE_SQLALCHEMY_URL (the action input database-url, or the CLI flag --url) instead.',
      );
    }
    notices.push(
      `${construct} and python3 was not found: only the literal assignments of env.py were read; ${urlOrigin(url)}.`,
    );
  }
  const value = envPy.values[key];
  if (value === undefined || value === null) return undefined;
  return { value: checkEnvPyValue(key, value), source: 'env.py' };
}

function urlOrigin(url: Found | undefined): string {
  if (url === undefined) return 'sqlalchemy_url is not taken from env.py';
  return `sqlalchemy_url comes from ${url.source === 'flag' ? 'the flag/input' : 'JETBASE_SQLALCHEMY_URL'}`;
}

function checkEnvPyValue(key: ConfigKey, value: EnvPyValue): ConfigValue {
  const kind = KEY_KINDS[key];
  if (kind === 'string' && typeof value === 'string') return value;
  if (kind === 'boolean' && typeof value === 'boolean') return value;
  if (kind === 'list') {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value as readonly string[];
  }
  const typeName = pythonTypeName(value);
  if (kind === 'boolean') {
    // Jetbase: "{key} must be bool, got {type}"; the value of a switch is no secret.
    const shown = typeof value === 'string' || typeof value === 'number' ? ` ${pythonRepr(value)}` : '';
    throw new ConfigError(`env.py: ${key} must be True or False, got ${typeName}${shown}`);
  }
  throw new ConfigError(
    `env.py: ${key} must be ${kind === 'list' ? 'a list of strings' : 'a string'}, got ${typeName}`,
  );
}

function fromTomlTable(
  key: ConfigKey,
  table: Record<string, unknown> | null,
  file: string,
  source: ConfigSource,
): Found | undefined {
  if (table === null || !Object.hasOwn(table, key)) return undefined;
  const value = table[key];
  const kind = KEY_KINDS[key];
  if (kind === 'string' && typeof value === 'string') return { value, source };
  if (kind === 'boolean' && typeof value === 'boolean') return { value, source };
  if (kind === 'list') {
    if (typeof value === 'string') return { value: [value], source };
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      return { value: value as string[], source };
  }
  const expected =
    kind === 'boolean' ? 'true or false' : kind === 'list' ? 'an array of strings' : 'a string';
  const shown =
    kind === 'boolean' && (typeof value === 'string' || typeof value === 'number')
      ? ` ${JSON.stringify(value)}`
      : '';
  throw new ConfigError(`${file}: ${key} must be ${expected}, got ${tomlTypeName(value)}${shown}`);
}

function fromPyproject(
  key: ConfigKey,
  pyproject: { file: string; table: Record<string, unknown> } | null,
): Found | undefined {
  if (pyproject === null) return undefined;
  return fromTomlTable(key, pyproject.table, `${pyproject.file} [tool.jetbase]`, 'pyproject.toml');
}

// ---------------------------------------------------------------------------------------------
// Files

type TomlParser = (text: string) => unknown;

function readTomlFile(file: string, parseToml: TomlParser): Record<string, unknown> | null {
  if (!isFile(file)) return null;
  const text = readUtf8File(file);
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    // smol-toml's message quotes the offending lines, which may hold a secret: keep its first line.
    const details =
      typeof error === 'object' && error !== null ? (error as { line?: unknown; message?: unknown }) : {};
    const line = typeof details.line === 'number' ? ` line ${details.line}` : '';
    const reason = typeof details.message === 'string' ? (details.message.split('\n')[0] ?? '') : '';
    throw new ConfigError(`Invalid TOML in ${file}${line}: ${reason}`);
  }
}

/** The first pyproject.toml from the jetbase directory up to the root, as Jetbase looks for it. */
function firstPyproject(jetbaseDir: string): string | null {
  for (let dir = jetbaseDir; ;) {
    const file = path.join(dir, 'pyproject.toml');
    if (isFile(file)) return file;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Its `[tool.jetbase]` table. */
function readToolJetbase(
  file: string,
  parseToml: TomlParser,
): { file: string; table: Record<string, unknown> } | null {
  const document = readTomlFile(file, parseToml) ?? {};
  const tool = document.tool;
  const table = isTable(tool) ? tool.jetbase : undefined;
  return isTable(table) ? { file, table } : null;
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** true/1/yes and false/0/no, any case; undefined for anything else. */
function parseBooleanWord(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (word === 'true' || word === '1' || word === 'yes') return true;
  if (word === 'false' || word === '0' || word === 'no') return false;
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}

function pythonTypeName(value: EnvPyValue): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return (value as { unsupportedType: string }).unsupportedType;
}

function pythonRepr(value: string | number): string {
  return typeof value === 'number'
    ? String(value)
    : `'${oneLine(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function tomlTypeName(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number' || typeof value === 'bigint')
    return Number.isInteger(Number(value)) ? 'an integer' : 'a float';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return 'a table';
}

/** Registers the URL password/token, the URL itself and the Snowflake key material for masking. */
function registerSecrets(config: JetbaseConfig, redactor: Redactor): void {
  redactor.add(config.snowflakePrivateKey);
  redactor.add(config.snowflakePrivateKeyPassword);
  if (config.sqlalchemyUrl === null) return;
  try {
    const url = parseDatabaseUrl(config.sqlalchemyUrl);
    const secrets = urlSecrets(url);
    for (const secret of secrets) redactor.add(secret);
    if (secrets.length > 0) redactor.add(url.raw);
  } catch (error) {
    // An unparsable URL is reported, redacted, where it is used.
    if (!(error instanceof JetbaseError)) throw error;
  }
}

function pythonCommand(
  python: PythonCommand | string | null | undefined,
  env: NodeJS.ProcessEnv,
): PythonCommand | null {
  if (python === undefined) return findPython(env);
  return typeof python === 'string' ? { executable: python, args: [] } : python;
}
