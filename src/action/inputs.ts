/**
 * The action's inputs, read once through @actions/core and checked, so the rest of the code works
 * with typed values. Secrets are masked here, before anything else can print them.
 */
import * as core from '@actions/core';

import { UsageError } from '../engine/errors.js';
import {
  COMMANDS,
  InputDefaults,
  Inputs,
  LINT_MODES,
  type CommandInput,
  type InputName,
  type LintMode,
} from './constants.js';
import { maskDatabaseUrl, maskSecret } from './secrets.js';

export interface ActionInputs {
  /** '' when not given: the URL may come from JETBASE_SQLALCHEMY_URL or env.py. */
  readonly databaseUrl: string;
  readonly directory: string;
  readonly command: CommandInput;
  readonly dryRun: boolean;
  readonly count: number | undefined;
  readonly toVersion: string | undefined;
  readonly skipValidation: boolean;
  readonly skipChecksumValidation: boolean;
  readonly skipFileValidation: boolean;
  readonly postgresSchema: string;
  readonly snowflakePrivateKey: string;
  readonly snowflakePrivateKeyPassword: string;
  readonly asyncMode: boolean;
  readonly lockTimeoutSeconds: number;
  readonly connectTimeoutSeconds: number;
  readonly comment: boolean;
  readonly summary: boolean;
  readonly githubToken: string;
  readonly environment: string;
  /** What lint findings do on validate and status: fail the check (error), only show (warn), nothing (off). */
  readonly lint: LintMode;
  readonly requireReviewedPlan: boolean;
  /** '' when not given: no verify run. */
  readonly verifyDatabaseUrl: string;
}

function text(name: InputName): string {
  const value = core.getInput(name);
  if (value !== '') return value;
  // The runner always passes action.yml's defaults; without the runner (tests, a manual run) use them here.
  const fallback = InputDefaults[name];
  return fallback.startsWith('${{') ? '' : fallback;
}

/** YAML 1.2 core-schema booleans, like core.getBooleanInput, but '' means the default. */
function flag(name: InputName): boolean {
  const value = text(name);
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`Input '${name}' must be true or false, got '${value}'.`);
}

function positiveInteger(name: InputName): number | undefined {
  const value = text(name);
  if (value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`Input '${name}' must be a positive integer, got '${value}'.`);
  }
  return Number(value);
}

function seconds(name: InputName): number {
  const value = text(name);
  const parsed = Number(value);
  if (value === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`Input '${name}' must be a number of seconds (0 or more), got '${value}'.`);
  }
  return parsed;
}

function command(): CommandInput {
  const value = text(Inputs.Command).toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(value)) {
    throw new UsageError(`Input 'command' must be one of ${COMMANDS.join(', ')}, got '${value}'.`);
  }
  return value as CommandInput;
}

function lintMode(): LintMode {
  const value = text(Inputs.Lint).toLowerCase();
  const mode = LINT_MODES.find((m) => m === value);
  if (mode === undefined)
    throw new UsageError(`Input 'lint' must be one of ${LINT_MODES.join(', ')}, got '${value}'.`);
  return mode;
}

/** Masks the secret inputs first (even before validating the others), then reads and checks every input. */
export function readInputs(): ActionInputs {
  // Raw values, untrimmed too: a key pasted with a trailing newline is still masked as given.
  for (const name of [Inputs.GithubToken, Inputs.SnowflakePrivateKey, Inputs.SnowflakePrivateKeyPassword]) {
    const raw = core.getInput(name, { trimWhitespace: false });
    maskSecret(raw);
    maskSecret(raw.trim());
  }
  maskDatabaseUrl(core.getInput(Inputs.DatabaseUrl, { trimWhitespace: false }));
  maskDatabaseUrl(core.getInput(Inputs.VerifyDatabaseUrl, { trimWhitespace: false }));
  return {
    databaseUrl: text(Inputs.DatabaseUrl),
    directory: text(Inputs.Directory),
    command: command(),
    dryRun: flag(Inputs.DryRun),
    count: positiveInteger(Inputs.Count),
    toVersion: text(Inputs.ToVersion) || undefined,
    skipValidation: flag(Inputs.SkipValidation),
    skipChecksumValidation: flag(Inputs.SkipChecksumValidation),
    skipFileValidation: flag(Inputs.SkipFileValidation),
    postgresSchema: text(Inputs.PostgresSchema),
    snowflakePrivateKey: text(Inputs.SnowflakePrivateKey),
    snowflakePrivateKeyPassword: text(Inputs.SnowflakePrivateKeyPassword),
    asyncMode: flag(Inputs.AsyncMode),
    lockTimeoutSeconds: seconds(Inputs.LockTimeout),
    connectTimeoutSeconds: seconds(Inputs.ConnectTimeout),
    comment: flag(Inputs.Comment),
    summary: flag(Inputs.Summary),
    githubToken: text(Inputs.GithubToken),
    environment: text(Inputs.Environment),
    lint: lintMode(),
    requireReviewedPlan: flag(Inputs.RequireReviewedPlan),
    verifyDatabaseUrl: text(Inputs.VerifyDatabaseUrl),
  };
}
