/**
 * The main step: inputs → event → command → configuration → engine (or offline validation) → one
 * report, rendered once, to the job summary, the PR comment, annotations and outputs. The engine
 * report decides the exit: a failed validation, migration or lock fails the step; a PR comment
 * that cannot be written (fork PRs) only warns.
 */
import * as core from '@actions/core';
import { performance } from 'node:perf_hooks';

import { requireUrl } from '../config/resolve.js';
import {
  current,
  discoverMigrations,
  errorMessage,
  hasErrors,
  JetbaseError,
  MigrationError,
  newProcessId,
  releaseLockOf,
  rollback,
  status,
  upgrade,
  ValidationError,
  type EngineContext,
  type EngineEvent,
} from '../engine/index.js';
import { formatDuration, renderMarkdown, SUMMARY_MAX_LENGTH, verdictOf } from '../report/markdown.js';
import {
  problemsOf,
  type FailedRun,
  type RunContext,
  type RunOutcome,
  type RunReport,
} from '../report/run-report.js';
import { annotate, problemAnnotations, type FileAnnotation } from './annotations.js';
import { Cancellation } from './cancellation.js';
import { State, type ResolvedCommand } from './constants.js';
import { readEvent, resolveCommand, type RunEvent } from './event.js';
import { createGitHubClient, type GitHubClient } from './github-client.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { baseBranchFiles, offlineValidation } from './offline.js';
import { outputValues, setOutputs } from './outputs.js';
import { bodyRoom, commentMarker, upsertComment } from './pr-comment.js';
import { redact } from './secrets.js';
import { openTarget, type Target } from './target.js';

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
  repoDirectory: string,
): RunContext {
  const repoUrl = event.owner && event.repo ? `${serverUrl()}/${event.owner}/${event.repo}` : undefined;
  const runId = process.env.GITHUB_RUN_ID;
  return {
    directory: repoDirectory,
    environment: inputs.environment,
    command,
    trigger: triggerOf(event),
    ...(repoUrl && event.linkSha ? { blobBase: `${repoUrl}/blob/${event.linkSha}/` } : {}),
    ...(repoUrl && runId ? { runUrl: `${repoUrl}/actions/runs/${runId}` } : {}),
  };
}

function failedRun(error: unknown): FailedRun {
  if (error instanceof ValidationError)
    return { command: 'error', code: error.code, message: redact(error.message), problems: error.problems };
  if (error instanceof JetbaseError) {
    return {
      command: 'error',
      code: error.code,
      message: redact(error.message),
      ...(error.hint ? { hint: redact(error.hint) } : {}),
    };
  }
  return { command: 'error', code: 'UNEXPECTED', message: redact(errorMessage(error)) };
}

/** Log lines for the engine's progress, and whether the lock is ours right now. */
class LockTracker {
  acquired = false;
  released = false;

  readonly onEvent = (event: EngineEvent): void => {
    switch (event.type) {
      case 'waiting-for-lock':
        log(
          `The migration lock is held (since ${event.lockedAt ?? 'an unknown time'}, process ${event.processId ?? 'unknown'}): waiting…`,
        );
        break;
      case 'lock-taken-over':
        core.warning(
          redact(
            `Took over the migration lock from process ${event.previousProcessId ?? 'unknown'} (held since ${event.lockedAt ?? 'an unknown time'}): its session is gone, so its unfinished migration was rolled back where the database allows it.`,
          ),
        );
        break;
      case 'connect-retry':
        log(
          `Database not reachable yet (${event.error}); retrying in ${formatDuration(event.delayMs)} (attempt ${event.attempt}).`,
        );
        break;
      case 'lock-acquired':
        this.acquired = true;
        log(
          `Acquired the migration lock${event.waitedMs > 0 ? ` after ${formatDuration(event.waitedMs)}` : ''} (process ${event.processId}).`,
        );
        break;
      case 'lock-released':
        this.released = true;
        log('Released the migration lock.');
        break;
      case 'migration-started':
        log(`${event.direction === 'upgrade' ? 'Applying' : 'Rolling back'} ${event.filename}…`);
        break;
      case 'migration-finished': {
        const o = event.outcome;
        log(
          `  ${o.status} ${o.filename} (${o.statements.length} statement${o.statements.length === 1 ? '' : 's'}, ${formatDuration(o.durationMs)})`,
        );
        break;
      }
    }
  };

  get holding(): boolean {
    return this.acquired && !this.released;
  }
}

interface Execution {
  readonly outcome: RunOutcome;
  readonly currentVersion: string | null | undefined;
  readonly annotations: readonly FileAnnotation[];
}

async function runOffline(
  target: Target,
  inputs: ActionInputs,
  event: RunEvent,
  client: GitHubClient | undefined,
): Promise<RunOutcome> {
  const started = performance.now();
  const why = event.pullRequest?.fromFork
    ? 'This pull request comes from a fork, which gets no secrets'
    : 'No database URL is configured (input database-url, JETBASE_SQLALCHEMY_URL, env.py, jetbase.toml)';
  core.notice(
    `${why}: validating the migration files offline. Drift, missing files and the applied state are not checked.`,
  );
  const discovery = discoverMigrations(target.jetbaseDir);
  const base = await baseBranchFiles({
    jetbaseDir: target.jetbaseDir,
    repoDirectory: target.repoDirectory,
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
  return offlineValidation(discovery, base, target.skip, started);
}

/** Where a failed migration's statement starts, for its annotation. */
function migrationFailureAnnotation(error: MigrationError, target: Target): FileAnnotation {
  const relativePath = error.filename.replace(/ \(rollback section\)$/, '');
  const rollbackSection = relativePath !== error.filename;
  let line: number | undefined;
  try {
    const file = discoverMigrations(target.jetbaseDir);
    const all = [...file.versioned, ...file.runsAlways, ...file.runsOnChange];
    const parsed = all.find((f) => f.relativePath === relativePath)?.parsed;
    line = (rollbackSection ? parsed?.rollback : parsed?.upgrade)?.statements[error.statementIndex]?.line;
  } catch {
    line = undefined;
  }
  const prefix = target.repoDirectory === '.' ? '' : `${target.repoDirectory}/`;
  return {
    level: 'error',
    title: 'Jetbase: migration failed',
    message: error.message,
    file: `${prefix}${relativePath}`,
    ...(line === undefined ? {} : { line }),
  };
}

async function execute(
  command: ResolvedCommand,
  inputs: ActionInputs,
  target: Target,
  event: RunEvent,
  client: GitHubClient | undefined,
  signal: AbortSignal,
): Promise<Execution> {
  if (target.dialect === undefined) {
    if (command === 'validate' || command === 'status') {
      const outcome = await core.group('Validation (offline)', () =>
        runOffline(target, inputs, event, client),
      );
      return {
        outcome,
        currentVersion: undefined,
        annotations: problemAnnotations(problemsOf(outcome), target.repoDirectory),
      };
    }
    requireUrl(target.config); // throws the message that lists every way to configure the URL
  }
  const dialect = target.dialect!;
  const tracker = new LockTracker();
  const processId = newProcessId();
  const ctx: EngineContext = {
    jetbaseDir: target.jetbaseDir,
    dialect,
    signal,
    processId,
    lockTimeoutMs: Math.round(inputs.lockTimeoutSeconds * 1000),
    connectRetryMs: Math.round(inputs.connectTimeoutSeconds * 1000),
    onEvent: tracker.onEvent,
  };
  const writes = (command === 'upgrade' || command === 'rollback') && !inputs.dryRun;

  let outcome: RunOutcome;
  if (command === 'validate' || command === 'status') {
    outcome = await core.group('Validation', () => status(ctx, target.skip));
    return {
      outcome,
      currentVersion: outcome.plan.latest?.version ?? null,
      annotations: problemAnnotations(outcome.problems, target.repoDirectory),
    };
  }

  if (writes) {
    // Saved before the lock is requested: if this process is killed while holding it, the post step releases it.
    // The URL is not saved (state files are readable): the post step re-resolves it from the same inputs and env.
    core.saveState(State.LockProcessId, processId);
    core.saveState(State.LockTarget, redact(dialect.target));
  }
  try {
    if (command === 'upgrade') {
      if (writes) {
        // Bad names are never skippable; checked first so nothing (not even the tables) is written.
        const { problems } = discoverMigrations(target.jetbaseDir);
        if (hasErrors(problems)) throw new ValidationError(problems);
      }
      outcome = await core.group(inputs.dryRun ? 'Upgrade (dry run)' : 'Upgrade', () =>
        upgrade(ctx, {
          ...target.skip,
          dryRun: inputs.dryRun,
          ...(inputs.count === undefined ? {} : { count: inputs.count }),
          ...(inputs.toVersion === undefined ? {} : { toVersion: inputs.toVersion }),
        }),
      );
    } else {
      outcome = await core.group(inputs.dryRun ? 'Rollback (dry run)' : 'Rollback', () =>
        rollback(ctx, {
          dryRun: inputs.dryRun,
          ...(inputs.count === undefined ? {} : { count: inputs.count }),
          ...(inputs.toVersion === undefined ? {} : { toVersion: inputs.toVersion }),
        }),
      );
    }
  } finally {
    if (writes) await settleLock(ctx, tracker, processId);
  }

  const annotations = [...problemAnnotations(problemsOf(outcome), target.repoDirectory)];
  if (outcome.error instanceof MigrationError)
    annotations.push(migrationFailureAnnotation(outcome.error, target));
  let currentVersion: string | null | undefined;
  if (outcome.dryRun)
    currentVersion = outcome.command === 'upgrade' ? (outcome.plan.latest?.version ?? null) : undefined;
  else {
    try {
      currentVersion = (await current({ jetbaseDir: target.jetbaseDir, dialect })).version;
    } catch {
      currentVersion = undefined;
    }
  }
  return { outcome, currentVersion, annotations };
}

/**
 * After a writing command: if the engine could not release the lock (its connection died), try once
 * on a new connection; record in state whether the post step still has something to do.
 */
async function settleLock(ctx: EngineContext, tracker: LockTracker, processId: string): Promise<void> {
  if (tracker.holding) {
    try {
      if (await releaseLockOf({ jetbaseDir: ctx.jetbaseDir, dialect: ctx.dialect }, processId))
        log('Released the migration lock on a new connection.');
      tracker.released = true;
    } catch (error) {
      core.warning(
        redact(
          `Could not release the migration lock yet (${errorMessage(error)}); the post step will try again.`,
        ),
      );
      return;
    }
  }
  core.saveState(State.LockReleased, 'true');
}

function shouldFail(command: ResolvedCommand, report: RunReport): boolean {
  const { result } = outputValues(report, undefined);
  if (result === 'success') return false;
  // `status` reports problems without failing the step; a run that could not happen still fails.
  if (command === 'status') return result === 'failure' || result === 'locked' || result === 'cancelled';
  return true;
}

async function publish(
  report: RunReport,
  inputs: ActionInputs,
  event: RunEvent,
  client: GitHubClient | undefined,
): Promise<void> {
  if (inputs.summary) {
    try {
      await core.summary
        .addRaw(redact(renderMarkdown(report, { maxLength: SUMMARY_MAX_LENGTH })), true)
        .write();
    } catch (error) {
      core.warning(redact(`Could not write the job summary: ${errorMessage(error)}`));
    }
  }
  if (!inputs.comment || event.pullRequest === undefined) return;
  if (client === undefined) {
    core.warning('No github-token: the PR comment was skipped.');
    return;
  }
  const key = { directory: report.context.directory, environment: report.context.environment };
  const room = bodyRoom(commentMarker(key));
  const markdown = redact(renderMarkdown(report, { maxLength: room })).slice(0, room);
  try {
    const result = await upsertComment(
      client,
      { owner: event.owner, repo: event.repo, issueNumber: event.pullRequest.number },
      key,
      markdown,
    );
    if (result.action === 'skipped') core.warning(redact(`PR comment skipped: ${result.reason}`));
    else log(`PR comment ${result.action}: ${result.url}`);
  } catch (error) {
    core.warning(redact(`Could not write the PR comment: ${errorMessage(error)}`));
  }
}

async function main(signal: AbortSignal): Promise<void> {
  const inputs = readInputs();
  const event = readEvent();
  const command = resolveCommand(inputs.command, event);
  const client = inputs.githubToken ? createGitHubClient(inputs.githubToken) : undefined;

  let target: Target | undefined;
  let execution: Execution;
  try {
    target = await core.group('Configuration', async () => {
      const opened = await openTarget(inputs);
      log(`Jetbase directory: ${opened.repoDirectory}`);
      log(
        `Command: ${command}${inputs.command === 'auto' ? ` (auto, for ${triggerOf(event)})` : ''}${inputs.dryRun ? ', dry run' : ''}`,
      );
      log(`Database: ${opened.dialect?.target ?? 'none configured'}`);
      for (const notice of opened.config.notices) log(`Note: ${notice}`);
      return opened;
    });
    execution = await execute(command, inputs, target, event, client, signal);
  } catch (error) {
    execution = { outcome: failedRun(error), currentVersion: undefined, annotations: [] };
    if (error instanceof ValidationError && target) {
      execution = { ...execution, annotations: problemAnnotations(error.problems, target.repoDirectory) };
    }
  }

  const repoDirectory = target?.repoDirectory ?? inputs.directory;
  const report: RunReport = {
    context: runContext(event, command, inputs, repoDirectory),
    outcome: execution.outcome,
  };
  const values = outputValues(report, execution.currentVersion);
  await core.group('Report', async () => {
    annotate(execution.annotations);
    setOutputs(report, values);
    await publish(report, inputs, event, client);
  });
  const verdict = redact(verdictOf(report).replace(/\\(.)/g, '$1'));
  if (shouldFail(command, report)) {
    const detail =
      execution.outcome.command === 'error' && !execution.outcome.problems
        ? `\n${redact(execution.outcome.message)}`
        : '';
    core.setFailed(`${verdict}${detail}`);
  } else log(verdict);
}

export async function run(): Promise<void> {
  const cancellation = new Cancellation();
  cancellation.install();
  try {
    await main(cancellation.signal);
  } catch (error) {
    core.setFailed(redact(errorMessage(error)));
  } finally {
    cancellation.dispose();
  }
}
