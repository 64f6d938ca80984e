/**
 * The main step, a thin shell: inputs and event → the run layer → one report, rendered once to the
 * job summary, the PR comment, annotations and outputs. The result decides the exit: a failed
 * validation, migration or lock fails the step; a PR comment that cannot be written only warns.
 */
import * as core from '@actions/core';

import { newProcessId } from '../engine/index.js';
import type { MigrationError } from '../engine/index.js';
import {
  failedRun,
  progressFormatter,
  run as runPipeline,
  takesLock,
  type CommandReport,
  type DatabaseCommand,
  type FailedRun,
  type OfflineReport,
  type RunResult,
} from '../run/index.js';
import { problemsOf, type RunContext, type RunOutcome, type RunReport } from '../report/run-report.js';
import { verdictOf, verdictText } from '../report/verdict.js';
import { annotate, MIGRATION_FAILURE_RANK, problemAnnotations, type FileAnnotation } from './annotations.js';
import { baseBranchFiles } from './base-branch.js';
import { Cancellation } from './cancellation.js';
import { envForRepositoryCode } from './child-env.js';
import { State, type ResolvedCommand } from './constants.js';
import { readEvent, resolveCommand, type RunEvent } from './event.js';
import { createGitHubClient, type GitHubClient } from './github-client.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { outputValues, setOutputs } from './outputs.js';
import { writeComment, writeSummary } from './publish.js';
import { fingerprintOf, isDeploy, reviewData, ReviewGate } from './deploy-review.js';
import { explainDrift } from './drift.js';
import { maskRegisteredSecrets, redact } from './secrets.js';
import { lintAnnotations } from './lint.js';
import { jetbaseDirOf, overridesOf, repositoryPath, workspaceDir } from './workspace.js';
import { verifyPassed } from '../report/verify-section.js';
import { shouldVerify, verifyFailureText, verifyStep } from './verify-step.js';

function log(message: string): void {
  core.info(redact(message));
}

function triggerOf(event: RunEvent): string {
  const branch = event.ref.replace(/^refs\/heads\//, '');
  if (event.pullRequest) return `${event.name} #${event.pullRequest.number}`;
  if (event.name === 'push') return `push to ${branch}`;
  if (event.name === 'workflow_dispatch') return `workflow_dispatch on ${branch}`;
  return event.name || 'a manual run';
}

function serverUrl(): string {
  return (process.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
}

function runContext(
  event: RunEvent,
  command: ResolvedCommand,
  inputs: ActionInputs,
  directory: string,
): RunContext {
  const repoUrl = event.owner && event.repo ? `${serverUrl()}/${event.owner}/${event.repo}` : undefined;
  const runId = process.env.GITHUB_RUN_ID;
  return {
    directory,
    environment: inputs.environment,
    command,
    trigger: triggerOf(event),
    ...(repoUrl && event.linkSha ? { blobBase: `${repoUrl}/blob/${event.linkSha}/` } : {}),
    ...(repoUrl && runId ? { runUrl: `${repoUrl}/actions/runs/${runId}` } : {}),
  };
}

function databaseCommand(command: ResolvedCommand, inputs: ActionInputs): DatabaseCommand {
  if (command === 'validate' || command === 'status') return { name: command };
  return {
    name: command,
    dryRun: inputs.dryRun,
    ...(inputs.count === undefined ? {} : { count: inputs.count }),
    ...(inputs.toVersion === undefined ? {} : { toVersion: inputs.toVersion }),
  };
}

function groupTitle(command: DatabaseCommand): string {
  switch (command.name) {
    case 'upgrade':
      return command.dryRun ? 'Upgrade (dry run)' : 'Upgrade';
    case 'rollback':
      return command.dryRun ? 'Rollback (dry run)' : 'Rollback';
    default:
      return 'Validation';
  }
}

function offlineNotice(report: OfflineReport, event: RunEvent): string {
  const { reason } = report;
  const why =
    reason.kind === 'no-url'
      ? event.pullRequest?.fromFork
        ? 'This pull request comes from a fork, which gets no secrets'
        : 'No database URL is configured (input database-url, JETBASE_SQLALCHEMY_URL, env.py, jetbase.toml)'
      : reason.kind === 'env-py-missing-variable' && event.pullRequest?.fromFork
        ? `${reason.detail}: this pull request comes from a fork, which gets no secrets`
        : reason.detail;
  return `${why.replace(/\.$/, '')}; validating the migration files offline. Drift, missing files and the applied state are not checked.`;
}

/** A failed migration points at its statement's line (the run layer knows it: nothing is re-read). */
function failureAnnotation(error: MigrationError, directory: string): FileAnnotation {
  const prefix = directory === '.' ? '' : `${directory}/`;
  return {
    level: 'error',
    title: 'Jetbase: migration failed',
    message: error.message,
    file: `${prefix}${error.file}`,
    rank: MIGRATION_FAILURE_RANK,
    ...(error.line === undefined ? {} : { line: error.line }),
  };
}

function annotationsOf(report: RunReport): FileAnnotation[] {
  const { outcome, context } = report;
  const annotations = problemAnnotations(problemsOf(outcome), context.directory);
  if (
    (outcome.command === 'upgrade' || outcome.command === 'rollback') &&
    outcome.error?.code === 'MIGRATION_FAILED'
  )
    annotations.push(failureAnnotation(outcome.error as MigrationError, context.directory));
  const verifyError = report.verify?.command === 'verify' ? report.verify.failure?.error : undefined;
  if (verifyError?.code === 'MIGRATION_FAILED')
    annotations.push(failureAnnotation(verifyError as MigrationError, context.directory));
  return annotations;
}

function shouldFail(command: ResolvedCommand, report: RunReport): boolean {
  const { result } = outputValues(report);
  if (result === 'success') return false;
  // `status` reports problems without failing the step; a run that could not happen still fails.
  if (command === 'status') return result === 'failure' || result === 'locked' || result === 'cancelled';
  return true;
}

/** The action runs validate, status, upgrade and rollback only: their reports are what it renders. */
function isActionOutcome(outcome: CommandReport | FailedRun): outcome is RunOutcome {
  return ['upgrade', 'rollback', 'status', 'offline-validate', 'error'].includes(outcome.command);
}

async function execute(
  inputs: ActionInputs,
  event: RunEvent,
  command: DatabaseCommand,
  directory: string,
  client: GitHubClient | undefined,
  signal: AbortSignal,
  gate?: ReviewGate,
): Promise<RunResult> {
  const writes = takesLock(command);
  const processId = newProcessId();
  const jetbaseDir = jetbaseDirOf(inputs);
  const format = progressFormatter(command.name);
  return core.group(groupTitle(command), () =>
    runPipeline({
      jetbaseDir,
      command,
      env: process.env,
      overrides: overridesOf(inputs),
      envPyEnvironment: envForRepositoryCode(process.env),
      ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
      signal,
      processId,
      releaseLockOnNewConnection: true,
      lockTimeoutMs: Math.round(inputs.lockTimeoutSeconds * 1000),
      connectRetryMs: Math.round(inputs.connectTimeoutSeconds * 1000),
      ...(inputs.lint === 'off' ? {} : { lint: {} }),
      onSecrets: maskRegisteredSecrets,
      ...(gate === undefined ? {} : { approvePlan: gate.approve }),
      onProgress: (event) => {
        for (const line of format(event)) {
          if (line.kind === 'message' && line.level === 'warning') core.warning(redact(line.text));
          else log(line.text);
        }
      },
      onTarget: (target) => {
        log(`Jetbase directory: ${directory}`);
        log(
          `Command: ${command.name}${inputs.command === 'auto' ? ` (auto, for ${triggerOf(event)})` : ''}${'dryRun' in command && command.dryRun ? ', dry run' : ''}`,
        );
        log(`Database: ${target.dialect?.target ?? 'none configured'}`);
        if (writes && target.dialect !== undefined) {
          // Saved before the lock is requested: if this process is killed while holding it, the post
          // step releases it. The URL is not saved (state files are readable): the post step
          // re-resolves it from the same inputs and environment.
          core.saveState(State.LockProcessId, processId);
          core.saveState(State.LockTarget, redact(target.dialect.target));
        }
      },
      offline: {
        whenEnvPyLacksVariable: event.pullRequest?.fromFork === true,
        baseFiles: async () => {
          const base = await baseBranchFiles({
            jetbaseDir,
            repoDirectory: directory,
            baseSha: event.baseSha,
            baseRef: event.pullRequest?.baseRef ?? '',
            client,
            owner: event.owner,
            repo: event.repo,
          });
          log(
            base.ok
              ? `Base branch: ${base.paths.length} migration files (from ${base.source}).`
              : `Base branch not checked: ${base.reason}.`,
          );
          return base;
        },
      },
    }).then((result) => {
      if (writes && !result.lockLeftHeld) core.saveState(State.LockReleased, 'true');
      else if (result.lockLeftHeld)
        core.warning('The migration lock is still held by this run; the post step will try again.');
      return result;
    }),
  );
}

async function main(signal: AbortSignal): Promise<void> {
  const inputs = readInputs();
  const event = readEvent();
  const resolved = resolveCommand(inputs.command, event);
  const command = databaseCommand(resolved, inputs);
  const client = inputs.githubToken ? createGitHubClient(inputs.githubToken) : undefined;
  const directory = await repositoryPath(jetbaseDirOf(inputs), workspaceDir());

  const gate = isDeploy(event, command)
    ? await ReviewGate.open(
        client,
        event,
        { directory, environment: inputs.environment },
        inputs.requireReviewedPlan,
      )
    : undefined;
  const result = await execute(inputs, event, command, directory, client, signal, gate);
  const { outcome } = result;
  const fingerprint = fingerprintOf(outcome, result.target);
  const drift =
    outcome.command === 'status' && event.pullRequest !== undefined
      ? await explainDrift(outcome, {
          jetbaseDir: jetbaseDirOf(inputs),
          repoDirectory: directory,
          baseSha: event.baseSha,
          baseRef: event.pullRequest.baseRef,
          client,
          owner: event.owner,
          repo: event.repo,
        })
      : [];
  if (outcome.command === 'offline-validate') core.notice(offlineNotice(outcome, event));
  if (!isActionOutcome(outcome)) throw new Error(`unexpected report for ${resolved}: ${outcome.command}`);
  const validated: RunReport = {
    context: {
      ...runContext(event, resolved, inputs, directory),
      ...(fingerprint === undefined ? {} : { planHash: fingerprint.hash }),
      ...(gate?.check === undefined ? {} : { planCheck: gate.check }),
      ...(drift.length === 0 ? {} : { drift }),
    },
    outcome,
    ...(result.lint === undefined
      ? {}
      : { lint: { report: result.lint, enforced: inputs.lint === 'error' } }),
  };
  const verify = shouldVerify(inputs, event, validated) ? await verifyStep(inputs, event, signal) : undefined;
  const report: RunReport = verify === undefined ? validated : { ...validated, verify };
  const fail = shouldFail(resolved, report) || (verify !== undefined && !verifyPassed(verify));
  let hiddenErrors = 0;
  await core.group('Report', async () => {
    hiddenErrors = annotate([...annotationsOf(report), ...lintAnnotations(report.lint, directory)], {
      willFail: fail,
    });
    setOutputs(report);
    if (inputs.summary) await writeSummary(report);
    await writeComment(report, inputs, event, client, reviewData(outcome, fingerprint));
    await gate?.finish(report, inputs.comment ? client : undefined, event);
  });
  const verdict = redact(verdictText(verdictOf(report)));
  if (!fail) {
    log(verdict);
    return;
  }
  const detail = outcome.command === 'error' && !outcome.problems ? `\n${outcome.message}` : '';
  const more =
    hiddenErrors > 0
      ? `\n…and ${hiddenErrors} more error${hiddenErrors === 1 ? '' : 's'}: see the job summary.`
      : '';
  core.setFailed(`${verdict}${detail}${more}${verifyFailureText(verify)}`);
}

export async function run(): Promise<void> {
  const cancellation = new Cancellation();
  cancellation.install();
  try {
    await main(cancellation.signal);
  } catch (error) {
    // Unexpected (a bug, or the runner's files unusable): a short message, and the stack, which
    // source maps turn into src/ files and lines.
    const failure = failedRun(error);
    core.setFailed(failure.message);
    if (failure.code === 'UNEXPECTED' && failure.error.stack !== undefined)
      core.info(redact(failure.error.stack));
  } finally {
    cancellation.dispose();
  }
}
