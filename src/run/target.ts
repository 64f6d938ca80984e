/**
 * From a jetbase directory and overrides to a database: the resolved configuration (overrides >
 * JETBASE_* > env.py > jetbase.toml > pyproject.toml; docs/format.md, "Configuration"), every
 * secret registered for redaction, and the dialect when a URL is configured. The action's main and
 * post steps and the CLI all open their target here, so the post step reconnects exactly as the
 * main step connected without a URL ever being saved.
 */
import { resolveConfig } from '../config/resolve.js';
import type { ConfigOverrides, DatabaseUrl } from '../config/types.js';
import { parseDatabaseUrl, urlSecrets } from '../config/url.js';
import { createDialect } from '../dialects/registry.js';
import { redactor } from '../report/redact.js';
import type { RunRequest, Target } from './types.js';

export type TargetRequest = Pick<
  RunRequest,
  'jetbaseDir' | 'env' | 'overrides' | 'envPyEnvironment' | 'forbidEnvPyExecution' | 'onSecrets'
>;

export async function openTarget(request: TargetRequest): Promise<Target> {
  const { jetbaseDir } = request;
  const config = await resolveConfig({
    jetbaseDir,
    env: request.env,
    overrides: request.overrides,
    ...(request.envPyEnvironment === undefined ? {} : { envPyEnv: request.envPyEnvironment }),
    ...(request.forbidEnvPyExecution === undefined
      ? {}
      : { forbidEnvPyExecution: request.forbidEnvPyExecution }),
  });
  // resolveConfig registers what it resolved; the key and URL forms are registered here again so
  // that no shell depends on what the resolver happens to do.
  redactor.add(config.snowflakePrivateKey);
  redactor.add(config.snowflakePrivateKeyPassword);
  const url = config.sqlalchemyUrl === null ? undefined : parseDatabaseUrl(config.sqlalchemyUrl);
  if (url !== undefined) registerUrlSecrets(url);
  request.onSecrets?.(redactor.secrets);
  const dialect =
    url === undefined
      ? undefined
      : await createDialect(url, {
          baseDir: jetbaseDir,
          postgresSchema: config.postgresSchema,
          snowflakePrivateKey: config.snowflakePrivateKey,
          snowflakePrivateKeyPassword: config.snowflakePrivateKeyPassword,
        });
  return {
    jetbaseDir,
    config,
    dialect,
    skip: {
      skipValidation: config.skipValidation,
      skipChecksumValidation: config.skipChecksumValidation,
      skipFileValidation: config.skipFileValidation,
    },
  };
}

/** A URL's password and credential-like values, and the URL itself when it holds any, for redaction. */
export function registerUrlSecrets(url: DatabaseUrl): void {
  const secrets = urlSecrets(url);
  for (const secret of secrets) redactor.add(secret);
  if (secrets.length > 0) redactor.add(url.raw);
}

/** Booleans only when true: a flag or input left at its default must not hide `true` set in env.py. */
export function skipOverrides(skip: {
  readonly skipValidation?: boolean;
  readonly skipChecksumValidation?: boolean;
  readonly skipFileValidation?: boolean;
}): ConfigOverrides {
  return {
    ...(skip.skipValidation ? { skip_validation: true } : {}),
    ...(skip.skipChecksumValidation ? { skip_checksum_validation: true } : {}),
    ...(skip.skipFileValidation ? { skip_file_validation: true } : {}),
  };
}
