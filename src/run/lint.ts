/**
 * Lint in the run layer: the `lint` command, and the findings `status`/`validate` carry when the
 * shell asks for them. Only what would run is linted: the pending files when the database can be
 * read, every file otherwise. The parsers load here, never on a run that does not lint.
 */
import { performance } from 'node:perf_hooks';

import { parseDatabaseUrl } from '../config/url.js';
import {
  buildPlan,
  discoverMigrations,
  errorMessage,
  executionOrder,
  JetbaseError,
  type DialectName,
  type Plan,
} from '../engine/index.js';
import { lintMigrations, type LintReport } from '../lint/index.js';
import { redactor } from '../report/redact.js';
import type { DatabaseCommand, FailedRun, ProgressEvent, RunRequest, RunResult, Target } from './types.js';

/** What `jetbase lint` reports. */
export interface LintRunReport {
  readonly command: 'lint';
  readonly report: LintReport;
  /** `pending`: the database was read and only pending files were linted; `all-files`: no database. */
  readonly scope: 'pending' | 'all-files';
  readonly durationMs: number;
}

/** The dialect to lint for: the one asked for, else the configured URL's. */
export function lintDialectOf(
  requested: DialectName | undefined,
  target: Target | undefined,
): DialectName | undefined {
  if (requested !== undefined) return requested;
  if (target?.dialect !== undefined) return target.dialect.name;
  const url = target?.config.sqlalchemyUrl;
  if (url === null || url === undefined) return undefined;
  try {
    return parseDatabaseUrl(url).dialect;
  } catch {
    return undefined;
  }
}

/** Lints the plan's pending files in the order they would run. */
export function lintPlan(plan: Plan, dialect: DialectName): Promise<LintReport> {
  return lintMigrations(
    executionOrder(plan).map((pending) => pending.file),
    { dialect },
  );
}

function noDialect(): JetbaseError {
  return new JetbaseError('CONFIG', 'Lint needs to know the database: no URL is configured.', {
    hint: 'Pass --dialect postgresql|mysql|sqlite|snowflake|databricks, or configure the database URL.',
  });
}

type StatusRun = (request: RunRequest) => Promise<RunResult>;

/**
 * `jetbase lint`: reads the pending set from the database when one is configured and reachable
 * (read-only, as `status` does), else lints every file.
 */
export async function runLintCommand(
  request: RunRequest<Extract<DatabaseCommand, { name: 'lint' }>>,
  runStatus: StatusRun,
  failed: (error: unknown) => FailedRun,
): Promise<RunResult<Extract<DatabaseCommand, { name: 'lint' }>>> {
  const started = performance.now();
  const emit = (event: ProgressEvent) => request.onProgress?.(event);
  const status = await runStatus({
    ...request,
    command: { name: 'status' },
    offline: {
      baseFiles: () => Promise.resolve({ ok: false, reason: 'not needed to lint' }),
      whenEnvPyLacksVariable: true,
    },
  });
  const { target } = status;
  try {
    const dialect = lintDialectOf(request.command.dialect, target);
    if (dialect === undefined) throw noDialect();
    let plan: Plan;
    let scope: LintRunReport['scope'];
    if (status.outcome.command === 'status') {
      plan = status.outcome.plan;
      scope = 'pending';
    } else {
      if (status.outcome.command === 'error' && status.outcome.code !== 'CONFIG')
        emit({
          type: 'notice',
          message: `The database could not be read (${status.outcome.message}); linting every migration file.`,
        });
      else if (status.outcome.command === 'error') throw status.outcome.error;
      plan = buildPlan(discoverMigrations(target?.jetbaseDir ?? request.jetbaseDir), [], {});
      scope = 'all-files';
    }
    const report = await lintPlan(plan, dialect);
    return {
      target,
      outcome: { command: 'lint', report, scope, durationMs: performance.now() - started },
      lockLeftHeld: false,
    };
  } catch (error) {
    return { target, outcome: failed(error), lockLeftHeld: false };
  }
}

/** `status`/`validate` with `lint` requested: the findings on the plan the report already holds. */
export async function withLint(request: RunRequest, result: RunResult): Promise<RunResult> {
  const { outcome } = result;
  if (request.lint === undefined || (outcome.command !== 'status' && outcome.command !== 'offline-validate'))
    return result;
  const dialect = lintDialectOf(request.lint.dialect, result.target);
  if (dialect === undefined) {
    request.onProgress?.({
      type: 'notice',
      message: 'Lint skipped: the database type is unknown (no URL is configured).',
    });
    return result;
  }
  try {
    return { ...result, lint: await lintPlan(outcome.plan, dialect) };
  } catch (error) {
    request.onProgress?.({
      type: 'notice',
      message: `Lint could not run: ${redactor.redact(errorMessage(error))}`,
    });
    return result;
  }
}
