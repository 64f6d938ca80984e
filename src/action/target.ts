/**
 * From inputs to a database: the jetbase directory, the resolved configuration (inputs > JETBASE_*
 * > env.py > jetbase.toml > pyproject.toml, contract A13) and, when a URL is configured, the
 * dialect. The main and post steps both use it, so the post step reconnects exactly as the main
 * step connected without any URL ever being saved in the (readable) state file.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { resolveConfig } from '../config/resolve.js';
import type { ConfigOverrides, JetbaseConfig } from '../config/types.js';
import { parseDatabaseUrl } from '../config/url.js';
import { createDialect } from '../dialects/registry.js';
import type { Dialect, SkipOptions } from '../engine/index.js';
import type { ActionInputs } from './inputs.js';
import { maskRegisteredSecrets } from './secrets.js';

const run = promisify(execFile);

export interface Target {
  readonly jetbaseDir: string;
  /** The jetbase directory relative to the repository root (POSIX), for links and annotations. */
  readonly repoDirectory: string;
  readonly config: JetbaseConfig;
  /** Undefined when no URL is configured anywhere (a fork PR without secrets). */
  readonly dialect: Dialect | undefined;
  readonly skip: SkipOptions;
}

export function workspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}

function overridesOf(inputs: ActionInputs): ConfigOverrides {
  // Booleans only when true: a false input must not hide `true` set in env.py (an input default is not a choice).
  return {
    ...(inputs.databaseUrl ? { sqlalchemy_url: inputs.databaseUrl } : {}),
    ...(inputs.postgresSchema ? { postgres_schema: inputs.postgresSchema } : {}),
    ...(inputs.snowflakePrivateKey ? { snowflake_private_key: inputs.snowflakePrivateKey } : {}),
    ...(inputs.snowflakePrivateKeyPassword
      ? { snowflake_private_key_password: inputs.snowflakePrivateKeyPassword }
      : {}),
    ...(inputs.asyncMode ? { async_mode: true } : {}),
    ...(inputs.skipValidation ? { skip_validation: true } : {}),
    ...(inputs.skipChecksumValidation ? { skip_checksum_validation: true } : {}),
    ...(inputs.skipFileValidation ? { skip_file_validation: true } : {}),
  };
}

/** The directory's path inside its git repository (`db/jetbase`), else relative to the workspace. */
async function repositoryPath(jetbaseDir: string, workspace: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-prefix'], { cwd: jetbaseDir, timeout: 10_000 });
    const prefix = stdout.trim().replace(/\/$/, '');
    return prefix === '' ? '.' : prefix;
  } catch {
    const relative = path.relative(workspace, jetbaseDir).split(path.sep).join('/');
    return relative === '' ? '.' : relative;
  }
}

export async function openTarget(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const workspace = workspaceDir(env);
  const jetbaseDir = path.resolve(workspace, inputs.directory);
  const config = await resolveConfig({ jetbaseDir, env, overrides: overridesOf(inputs) });
  // resolveConfig registered the URL's password (from env.py too) with the Redactor: mask it for the runner as well.
  maskRegisteredSecrets();
  const skip: SkipOptions = {
    skipValidation: config.skipValidation,
    skipChecksumValidation: config.skipChecksumValidation,
    skipFileValidation: config.skipFileValidation,
  };
  const dialect =
    config.sqlalchemyUrl === null
      ? undefined
      : await createDialect(parseDatabaseUrl(config.sqlalchemyUrl), {
          baseDir: jetbaseDir,
          postgresSchema: config.postgresSchema,
          snowflakePrivateKey: config.snowflakePrivateKey,
          snowflakePrivateKeyPassword: config.snowflakePrivateKeyPassword,
        });
  return { jetbaseDir, repoDirectory: await repositoryPath(jetbaseDir, workspace), config, dialect, skip };
}
