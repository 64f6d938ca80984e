/**
 * upgrade and rollback: one runner for both. Each picks its files from the history (a plan, or
 * rollback targets); the runner reads history read-only first (a request that is invalid writes
 * nothing, not even the tables), answers dry runs from there, then creates the tables, takes the
 * lock, picks again under it (another runner may have moved the history while we waited) and runs
 * file after file, stopping at the first failure or at a signal between files.
 */
import { performance } from 'node:perf_hooks';

import type { Connection, ParameterizedSql } from './dialect.js';
import { discoverMigrations, type Discovery, type MigrationFile } from './discovery.js';
import {
  CancelledError,
  JetbaseError,
  UsageError,
  ValidationError,
  type MigrationSection,
} from './errors.js';
import { historyDelete, historyWrite, readHistory, readHistoryIfExists, type HistoryRow } from './history.js';
import { namingLostTarget } from './connect.js';
import { previewOf, runMigrationFile } from './migration-file.js';
import { buildPlan, executionOrder, hasErrors, type Plan, type SkipOptions } from './plan.js';
import { ensureTables, throwIfCancelled, withConnection, withLock } from './session.js';
import type {
  EngineContext,
  MigrationOutcome,
  PreviewEntry,
  RollbackReport,
  UpgradeReport,
} from './types.js';
import { versionKey } from './version.js';

export interface UpgradeOptions extends SkipOptions {
  readonly count?: number;
  readonly toVersion?: string;
  readonly dryRun?: boolean;
  /**
   * Called with the plan picked under the lock, before the first file runs (and with the empty plan
   * when nothing is pending): an error returned stops the upgrade with nothing applied.
   */
  readonly approvePlan?: (plan: Plan) => JetbaseError | undefined;
}

export interface RollbackOptions {
  readonly count?: number;
  readonly toVersion?: string;
  readonly dryRun?: boolean;
}

/** Bad names and duplicate versions are never skippable and need no database. */
export function assertValidNames(discovery: Discovery): void {
  if (hasErrors(discovery.problems)) throw new ValidationError(discovery.problems);
}

function checkCountAndTarget(
  command: MigrationSection,
  count: number | undefined,
  toVersion: string | undefined,
): void {
  if (count !== undefined && toVersion !== undefined) {
    throw new UsageError(
      command === 'upgrade'
        ? "Cannot specify both 'count' and 'to_version' for upgrade. Select only one, or do not specify either to run all pending migrations."
        : "Cannot specify both 'count' and 'to_version' for rollback. Select only one, or do not specify either to rollback the last migration.",
    );
  }
  // Counts below 1 are refused (Python Jetbase treats 0 as "all" for upgrade and as 1 for rollback).
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new UsageError(`'count' must be a positive integer, got ${count}.`);
  }
}

/** One file of a selection and the history write that goes with it. */
interface Step {
  readonly file: MigrationFile;
  readonly final: ParameterizedSql;
}

/** What upgrade or rollback picks from the history; `select` may throw (an unknown version). */
interface Selection {
  /** Problems that stop the run before anything is written (upgrade's validation). */
  readonly blocked: boolean;
  readonly steps: readonly Step[];
}

interface RunnerResult<S extends Selection> {
  readonly selection: S;
  readonly outcomes: readonly MigrationOutcome[];
  readonly lockWaitMs?: number;
  readonly error?: JetbaseError;
  /** The latest applied version once this run's changes are in. */
  readonly currentVersion: string | null;
}

/** The latest applied VERSIONED version once a run's outcomes are added to the history it read. */
function currentVersionAfter(
  history: readonly HistoryRow[],
  outcomes: readonly MigrationOutcome[],
): string | null {
  const versions = history.filter((r) => r.migrationType === 'VERSIONED').map((r) => r.version);
  for (const outcome of outcomes) {
    if (outcome.type !== 'VERSIONED') continue;
    if (outcome.status === 'applied') versions.push(outcome.version);
    else if (outcome.status === 'rolled-back') {
      const index = versions.lastIndexOf(outcome.version);
      if (index >= 0) versions.splice(index, 1);
    }
  }
  return versions.at(-1) ?? null;
}

async function runSelection<S extends Selection>(
  ctx: EngineContext,
  conn: Connection,
  section: MigrationSection,
  select: (history: readonly HistoryRow[]) => S,
  approve?: (selection: S) => JetbaseError | undefined,
): Promise<RunnerResult<S>> {
  const { dialect } = ctx;
  // Read-only until the request is known to be valid: a run that stops on a problem writes nothing.
  const readFirst = (await readHistoryIfExists(conn, dialect.sql)).rows;
  const first = select(readFirst);
  if (first.blocked)
    return { selection: first, outcomes: [], currentVersion: currentVersionAfter(readFirst, []) };
  await ensureTables(conn, dialect);
  if (first.steps.length === 0) {
    const refused = approve?.(first);
    return {
      selection: first,
      outcomes: [],
      currentVersion: currentVersionAfter(readFirst, []),
      ...(refused === undefined ? {} : { error: refused }),
    };
  }

  const outcomes: MigrationOutcome[] = [];
  let selection = first;
  let history: readonly HistoryRow[] = readFirst;
  let error: JetbaseError | undefined;
  try {
    const { waitedMs } = await withLock(ctx, conn, async () => {
      history = await readHistory(conn);
      selection = select(history);
      if (selection.blocked) return;
      error = approve?.(selection);
      if (error !== undefined) return;
      for (const step of selection.steps) {
        await throwIfCancelled(ctx.signal);
        const outcome = await runMigrationFile(ctx, conn, step.file, section, step.final);
        outcomes.push(outcome);
        if (outcome.failure !== undefined) {
          error = namingLostTarget(outcome.failure, dialect) as JetbaseError;
          return;
        }
      }
    });
    return {
      selection,
      outcomes,
      lockWaitMs: waitedMs,
      currentVersion: currentVersionAfter(history, outcomes),
      ...(error === undefined ? {} : { error }),
    };
  } catch (caught) {
    if (caught instanceof CancelledError) {
      return { selection, outcomes, currentVersion: currentVersionAfter(history, outcomes), error: caught };
    }
    throw caught;
  }
}

interface UpgradeSelection extends Selection {
  readonly plan: Plan;
}

export async function upgrade(ctx: EngineContext, options: UpgradeOptions = {}): Promise<UpgradeReport> {
  const started = performance.now();
  const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
  checkCountAndTarget('upgrade', options.count, toVersion);
  const discovery = discoverMigrations(ctx.jetbaseDir);
  const dryRun = Boolean(options.dryRun);
  if (!dryRun) assertValidNames(discovery);
  const planOptions = { ...options, ...(toVersion === undefined ? {} : { toVersion }) };
  const { dialect } = ctx;
  const { sql } = dialect;
  const select = (history: readonly HistoryRow[]): UpgradeSelection => {
    const plan = buildPlan(discovery, history, planOptions);
    return {
      plan,
      blocked: hasErrors(plan.problems),
      steps: executionOrder(plan).map((pending) => ({
        file: pending.file,
        final: historyWrite(
          sql,
          {
            version: pending.file.version,
            description: pending.file.description,
            filename: pending.file.filename,
            migrationType: pending.file.type,
            checksum: pending.file.checksum,
          },
          pending.hasRow,
        ),
      })),
    };
  };
  const report = (
    plan: Plan,
    fields: Partial<Pick<UpgradeReport, 'preview' | 'outcomes' | 'lockWaitMs' | 'error' | 'upToDate'>>,
    currentVersion: string | null,
  ): UpgradeReport => {
    const error = fields.error ?? (hasErrors(plan.problems) ? new ValidationError(plan.problems) : undefined);
    const outcomes = fields.outcomes ?? [];
    return {
      command: 'upgrade',
      target: dialect.target,
      dryRun,
      plan,
      preview: fields.preview ?? [],
      outcomes,
      upToDate: fields.upToDate ?? false,
      ...(fields.lockWaitMs === undefined ? {} : { lockWaitMs: fields.lockWaitMs }),
      currentVersion,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
      durationMs: performance.now() - started,
    };
  };

  return withConnection(ctx, { readOnly: dryRun }, async (conn) => {
    if (dryRun) {
      const { rows } = await readHistoryIfExists(conn, sql);
      const { plan, steps } = select(rows);
      const preview: PreviewEntry[] = steps.map((s) => previewOf(s.file, 'upgrade'));
      return report(plan, { preview, upToDate: preview.length === 0 }, currentVersionAfter(rows, []));
    }
    const approve = options.approvePlan;
    const run = await runSelection(
      ctx,
      conn,
      'upgrade',
      select,
      approve === undefined ? undefined : (selection) => approve(selection.plan),
    );
    const { plan } = run.selection;
    return report(
      plan,
      {
        outcomes: run.outcomes,
        upToDate: run.outcomes.length === 0 && !run.selection.blocked,
        ...(run.lockWaitMs === undefined ? {} : { lockWaitMs: run.lockWaitMs }),
        ...(run.error === undefined ? {} : { error: run.error }),
      },
      run.currentVersion,
    );
  });
}

/** Targets of a rollback: applied VERSIONED versions, newest applied first. */
function rollbackTargets(
  history: readonly HistoryRow[],
  count: number | undefined,
  toVersion: string | undefined,
): string[] {
  const versioned = history.filter((r) => r.migrationType === 'VERSIONED' && r.version !== null);
  if (toVersion !== undefined) {
    const index = versioned.findIndex((r) => r.version === toVersion);
    if (index < 0)
      throw new JetbaseError(
        'VERSION_NOT_FOUND',
        `Version '${toVersion}' has not been applied yet or does not exist.`,
      );
    return versioned
      .slice(index + 1)
      .reverse()
      .map((r) => r.version!);
  }
  return versioned
    .slice(-(count ?? 1))
    .reverse()
    .map((r) => r.version!);
}

function filesForTargets(discovery: Discovery, targets: readonly string[]): MigrationFile[] {
  const byVersion = new Map(discovery.versioned.map((f) => [f.version!, f]));
  const missing = targets.filter((v) => !byVersion.has(v));
  if (missing.length > 0) {
    throw new JetbaseError(
      'VERSION_NOT_FOUND',
      missing
        .map((v) => `Migration file for version '${v}' not found. Cannot proceed with rollback.`)
        .join('\n') +
        "\nPlease restore the missing migration file and try again, or run 'jetbase fix' to synchronize the migrations table with existing files before retrying the rollback.",
    );
  }
  return targets.map((v) => byVersion.get(v)!);
}

interface RollbackSelection extends Selection {
  readonly targets: readonly string[];
}

export async function rollback(ctx: EngineContext, options: RollbackOptions = {}): Promise<RollbackReport> {
  const started = performance.now();
  const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
  checkCountAndTarget('rollback', options.count, toVersion);
  const discovery = discoverMigrations(ctx.jetbaseDir);
  assertValidNames(discovery);
  const dryRun = Boolean(options.dryRun);
  const select = (history: readonly HistoryRow[]): RollbackSelection => {
    const targets = rollbackTargets(history, options.count, toVersion);
    return {
      targets,
      blocked: false,
      steps: filesForTargets(discovery, targets).map((file) => ({
        file,
        final: historyDelete(file.version!),
      })),
    };
  };
  const report = (
    fields: Partial<Pick<RollbackReport, 'targets' | 'preview' | 'outcomes' | 'lockWaitMs' | 'error'>>,
    currentVersion: string | null,
  ): RollbackReport => ({
    command: 'rollback',
    target: ctx.dialect.target,
    dryRun,
    targets: fields.targets ?? [],
    preview: fields.preview ?? [],
    outcomes: fields.outcomes ?? [],
    ...(fields.lockWaitMs === undefined ? {} : { lockWaitMs: fields.lockWaitMs }),
    currentVersion,
    ok: fields.error === undefined,
    ...(fields.error === undefined ? {} : { error: fields.error }),
    durationMs: performance.now() - started,
  });

  return withConnection(ctx, { readOnly: dryRun }, async (conn) => {
    if (dryRun) {
      const { rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
      const { targets, steps } = select(rows);
      return report(
        { targets, preview: steps.map((s) => previewOf(s.file, 'rollback')) },
        currentVersionAfter(rows, []),
      );
    }
    const run = await runSelection(ctx, conn, 'rollback', select);
    return report(
      {
        targets: run.selection.targets,
        outcomes: run.outcomes,
        ...(run.lockWaitMs === undefined ? {} : { lockWaitMs: run.lockWaitMs }),
        ...(run.error === undefined ? {} : { error: run.error }),
      },
      run.currentVersion,
    );
  });
}
