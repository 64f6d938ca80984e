/**
 * Where the action works: the jetbase directory inside the workspace, its path inside the git
 * repository (for links and annotations), and the inputs as configuration overrides. The main and
 * post steps both build their run from here, so the post step reconnects exactly as the main step
 * did without a URL ever being saved in the (readable) state file.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { ConfigOverrides } from '../config/types.js';
import { skipOverrides } from '../run/index.js';
import type { ActionInputs } from './inputs.js';

const exec = promisify(execFile);

export function workspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}

export function jetbaseDirOf(inputs: ActionInputs, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(workspaceDir(env), inputs.directory);
}

export function overridesOf(inputs: ActionInputs): ConfigOverrides {
  // Booleans only when true: a false input must not hide `true` set in env.py (an input default is not a choice).
  return {
    ...(inputs.databaseUrl ? { sqlalchemy_url: inputs.databaseUrl } : {}),
    ...(inputs.postgresSchema ? { postgres_schema: inputs.postgresSchema } : {}),
    ...(inputs.snowflakePrivateKey ? { snowflake_private_key: inputs.snowflakePrivateKey } : {}),
    ...(inputs.snowflakePrivateKeyPassword
      ? { snowflake_private_key_password: inputs.snowflakePrivateKeyPassword }
      : {}),
    ...(inputs.asyncMode ? { async_mode: true } : {}),
    ...skipOverrides(inputs),
  };
}

/** The directory's path inside its git repository (`db/jetbase`), else relative to the workspace; always with `/`. */
export async function repositoryPath(jetbaseDir: string, workspace: string): Promise<string> {
  try {
    const { stdout } = await exec('git', ['rev-parse', '--show-prefix'], {
      cwd: jetbaseDir,
      timeout: 10_000,
    });
    const prefix = stdout.trim().replace(/\/$/, '');
    return prefix === '' ? '.' : prefix;
  } catch {
    return workspaceRelativePath(workspace, jetbaseDir);
  }
}

/**
 * The jetbase directory relative to the workspace with `/` whatever the runner's OS: it reaches
 * annotations, links and reports. `pathApi` is the platform's path module (path.win32 in tests).
 */
export function workspaceRelativePath(
  workspace: string,
  jetbaseDir: string,
  pathApi: Pick<typeof path, 'relative' | 'sep'> = path,
): string {
  const relative = pathApi.relative(workspace, jetbaseDir).split(pathApi.sep).join('/');
  return relative === '' ? '.' : relative;
}
