/**
 * The pipeline both shells call (docs/architecture.md, "The run layer"): configuration → secrets
 * → target → engine command (or offline validation) → one typed result, with progress as events.
 * It never throws: a run that cannot happen comes back as a FailedRun with a redacted message.
 */
import { performance } from 'node:perf_hooks';

import { EnvPyMissingVariableError } from '../config/env-py-errors.js';
import { requireUrl } from '../config/resolve.js';
import type { ConfigOverrides } from '../config/types.js';
import {
  current,
  discoverMigrations,
  errorMessage,
  fixAll,
  history,
  JetbaseError,
  lockStatus,
  newProcessId,
  releaseLockOf,
  rollback,
  status,
  unlock,
  upgrade,
  validateChecksums,
  validateFiles,
  ValidationError,
  type EngineContext,
  type Plan,
  type SkipOptions,
} from '../engine/index.js';
import { redactor } from '../report/redact.js';
import { runLintCommand, withLint } from './lint.js';
import { offlineValidation, type OfflineReport } from './offline.js';
import { openTarget } from './target.js';
import { runVerify, verifyUrlOf } from '../verify/run-verify.js';
import type {
  CommandReport,
  DatabaseCommand,
  FailedRun,
  OfflineReason,
  ProgressEvent,
  ReportsByCommand,
  RunRequest,
  RunResult,
  Target,
} from './types.js';

/** Commands that may take the lock (and so must release it on a signal). */
export function takesLock(command: DatabaseCommand): boolean {
  switch (command.name) {
    case 'upgrade':
    case 'rollback':
      return !command.dryRun;
    case 'validate-checksums':
    case 'validate-files':
      return command.fix;
    case 'fix':
      return true;
    default:
      return false;
  }
}

/** The skip flags among the overrides, for a run whose configuration could not be resolved. */
function skipOf(overrides: ConfigOverrides): SkipOptions {
  return {
    skipValidation: overrides.skip_validation === true,
    skipChecksumValidation: overrides.skip_checksum_validation === true,
    skipFileValidation: overrides.skip_file_validation === true,
  };
}

export function failedRun(error: unknown): FailedRun {
  const redact = (text: string) => redactor.redact(text);
  const cause = error instanceof Error ? error : new Error(String(error));
  if (error instanceof ValidationError)
    return {
      command: 'error',
      code: error.code,
      message: redact(error.message),
      problems: error.problems,
      error,
    };
  if (error instanceof JetbaseError) {
    return {
      command: 'error',
      code: error.code,
      message: redact(error.message),
      ...(error.hint === undefined ? {} : { hint: redact(error.hint) }),
      error,
    };
  }
  return { command: 'error', code: 'UNEXPECTED', message: redact(errorMessage(error)), error: cause };
}

function execute(
  ctx: EngineContext,
  command: DatabaseCommand,
  skip: SkipOptions,
  approvePlan?: (plan: Plan) => JetbaseError | undefined,
): Promise<CommandReport> {
  switch (command.name) {
    case 'upgrade':
      return upgrade(ctx, {
        ...skip,
        ...(approvePlan === undefined ? {} : { approvePlan }),
        dryRun: command.dryRun,
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
      });
    case 'rollback':
      return rollback(ctx, {
        dryRun: command.dryRun,
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
      });
    case 'status':
    case 'validate':
      return status(ctx, skip);
    case 'history':
      return history(ctx);
    case 'current':
      return current(ctx);
    case 'lock-status':
      return lockStatus(ctx);
    case 'unlock':
      return unlock(ctx);
    case 'validate-checksums':
      return validateChecksums(ctx, { ...skip, fix: command.fix });
    case 'validate-files':
      return validateFiles(ctx, { fix: command.fix });
    case 'fix':
      return fixAll(ctx, skip);
    case 'lint':
      throw new Error('unreachable: lint runs through runLintCommand');
    case 'verify':
      throw new Error('unreachable: verify runs on its own database (runVerify)');
  }
}

/** Whether the lock is ours right now, from the engine's events. */
class LockWatch {
  private acquired = false;
  private released = false;

  observe(event: ProgressEvent): void {
    if (event.type === 'lock-acquired') this.acquired = true;
    if (event.type === 'lock-released') this.released = true;
  }

  get holding(): boolean {
    return this.acquired && !this.released;
  }
}

/**
 * After a writing command whose connection died while holding the lock: release it on a new
 * connection (only if this process id still holds it). Returns whether it stays held.
 */
async function settleLock(
  ctx: EngineContext,
  processId: string,
  emit: (event: ProgressEvent) => void,
): Promise<boolean> {
  try {
    if (await releaseLockOf({ jetbaseDir: ctx.jetbaseDir, dialect: ctx.dialect }, processId))
      emit({ type: 'lock-released-on-new-connection' });
    return false;
  } catch (error) {
    emit({ type: 'lock-release-failed', error: redactor.redact(errorMessage(error)) });
    return true;
  }
}

function offlineReasonOf(target: Target): OfflineReason {
  const skipped = target.config.envPyNotExecuted;
  if (skipped === null) return { kind: 'no-url' };
  return {
    kind: 'env-py-not-executed',
    detail: `${skipped.reason} (env.py needs Python to be read: ${skipped.construct})`,
  };
}

/** Files alone, when the shell allows it and the command only reads. */
async function validateOffline(
  request: RunRequest,
  jetbaseDir: string,
  skip: SkipOptions,
  reason: OfflineReason,
  started: number,
): Promise<OfflineReport | undefined> {
  const { command, offline } = request;
  if (offline === undefined || (command.name !== 'status' && command.name !== 'validate')) return undefined;
  const base = await offline.baseFiles();
  return offlineValidation(discoverMigrations(jetbaseDir), base, skip, reason, started);
}

export async function run<C extends DatabaseCommand>(request: RunRequest<C>): Promise<RunResult<C>> {
  const { command } = request;
  if (command.name === 'lint')
    return (await runLintCommand(
      request as RunRequest<Extract<DatabaseCommand, { name: 'lint' }>>,
      runCommand,
      failedRun,
    )) as RunResult<C>;
  return (await withLint(request, await runCommand(request))) as RunResult<C>;
}

async function runCommand<C extends DatabaseCommand>(request: RunRequest<C>): Promise<RunResult<C>> {
  const started = performance.now();
  const emit = (event: ProgressEvent) => request.onProgress?.(event);
  const { command } = request;
  type Outcome = RunResult<C>['outcome'];
  let target: Target | undefined;
  let lockLeftHeld = false;
  try {
    // Before the target opens, so the one onSecrets call carries the verify URL's secrets too.
    const verifyUrl = command.name === 'verify' ? verifyUrlOf(command.url) : undefined;
    try {
      target = await openTarget(request);
    } catch (error) {
      // verify needs no target, only its own URL: the emptiness check still guards the database.
      if (verifyUrl !== undefined && error instanceof EnvPyMissingVariableError) {
        emit({
          type: 'notice',
          message: `env.py reads ${error.variable}, which is not set here: the verify URL could not be compared with the target's.`,
        });
        return {
          target: undefined,
          outcome: (await runVerify(request, undefined, verifyUrl)) as Outcome,
          lockLeftHeld: false,
        };
      }
      // A fork's env.py reading a secret the fork does not get: the files can still be checked.
      if (!(error instanceof EnvPyMissingVariableError) || request.offline?.whenEnvPyLacksVariable !== true)
        throw error;
      const reason: OfflineReason = {
        kind: 'env-py-missing-variable',
        detail: `env.py reads ${error.variable}, which is not set here`,
      };
      const report = await validateOffline(
        request,
        request.jetbaseDir,
        skipOf(request.overrides),
        reason,
        started,
      );
      if (report === undefined) throw error;
      return { target: undefined, outcome: report as Outcome, lockLeftHeld: false };
    }
    for (const notice of target.config.notices) emit({ type: 'notice', message: notice });
    request.onTarget?.(target);
    if (verifyUrl !== undefined)
      return {
        target,
        outcome: (await runVerify(request, target, verifyUrl)) as Outcome,
        lockLeftHeld: false,
      };
    const dialect = target.dialect;
    if (dialect === undefined) {
      const report = await validateOffline(
        request,
        target.jetbaseDir,
        target.skip,
        offlineReasonOf(target),
        started,
      );
      if (report !== undefined) return { target, outcome: report as Outcome, lockLeftHeld: false };
      requireUrl(target.config); // throws the message that lists every way to configure the URL
      throw new Error('unreachable: a URL is configured but no dialect was created');
    }
    const watch = new LockWatch();
    // Only a command that may lock needs a holder id (building one hashes the machine's identity).
    const processId = takesLock(command) ? (request.processId ?? newProcessId()) : request.processId;
    const ctx: EngineContext = {
      jetbaseDir: target.jetbaseDir,
      dialect,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      ...(request.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: request.lockTimeoutMs }),
      ...(request.connectRetryMs === undefined ? {} : { connectRetryMs: request.connectRetryMs }),
      ...(processId === undefined ? {} : { processId }),
      onEvent: (event) => {
        watch.observe(event);
        emit(event);
      },
    };
    let report: CommandReport;
    try {
      const approve = request.approvePlan;
      const opened = target;
      report = await execute(
        ctx,
        command,
        target.skip,
        approve === undefined ? undefined : (plan) => approve(plan, opened),
      );
    } finally {
      if (watch.holding)
        lockLeftHeld =
          request.releaseLockOnNewConnection && processId !== undefined
            ? await settleLock(ctx, processId, emit)
            : true;
    }
    return { target, outcome: report as ReportsByCommand[C['name']], lockLeftHeld };
  } catch (error) {
    return { target, outcome: failedRun(error), lockLeftHeld };
  }
}
