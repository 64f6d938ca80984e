/**
 * The commands of contract §6 over one pinned connection. Read-only commands (status, dry runs,
 * audits) never create tables, never lock and never write (A10); writing commands create the tables,
 * take Jetbase's lock, re-read history under it, and release it in `finally`.
 */
import { performance } from 'node:perf_hooks';
import {
  StatementFailure,
  type Connection,
  type Dialect,
  type ParameterizedSql,
  type StatementHooks,
} from './dialect.js';
import { discoverMigrations, type Discovery, type MigrationFile } from './discovery.js';
import {
  CancelledError,
  JetbaseError,
  MigrationError,
  UsageError,
  ValidationError,
  errorMessage,
} from './errors.js';
import {
  deleteRepeatableRow,
  deleteVersionRow,
  ensureLockTable,
  ensureMigrationsTable,
  historyDelete,
  historyWrite,
  latestVersioned,
  readHistory,
  readHistoryIfExists,
  readLockRow,
  tableExists,
  updateVersionChecksum,
  type HistoryRow,
} from './history.js';
import { connectWithRetry, namingLostTarget } from './connect.js';
import { acquireLock, forceUnlock, newProcessId, releaseLock } from './lock.js';
import {
  buildPlan,
  executionOrder,
  hasErrors,
  type PendingMigration,
  type Plan,
  type SkipOptions,
} from './plan.js';
import { parseSqlFile } from './sql-file.js';
import type {
  ChecksumMismatch,
  ChecksumsReport,
  CurrentReport,
  EngineContext,
  FilesReport,
  FixReport,
  HistoryReport,
  LockStatusReport,
  MigrationOutcome,
  PreviewEntry,
  RollbackReport,
  StatusReport,
  UnlockReport,
  UpgradeReport,
} from './types.js';
import { versionKey } from './version.js';

export interface UpgradeOptions extends SkipOptions {
  readonly count?: number;
  readonly toVersion?: string;
  readonly dryRun?: boolean;
}

export interface RollbackOptions {
  readonly count?: number;
  readonly toVersion?: string;
  readonly dryRun?: boolean;
}

/** Bad names and duplicate versions are never skippable and need no database (contract §6.3 step 5a). */
function assertValidNames(discovery: Discovery): void {
  if (hasErrors(discovery.problems)) throw new ValidationError(discovery.problems);
}

function checkCountAndTarget(
  command: 'upgrade' | 'rollback',
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
  // A9: counts below 1 are rejected (upstream treats 0 as "all" for upgrade and as 1 for rollback).
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new UsageError(`'count' must be a positive integer, got ${count}.`);
  }
}

/** `readOnly` for commands that never write (A10): the dialect then makes the session refuse writes. */
async function withConnection<T>(
  ctx: EngineContext,
  { readOnly }: { readOnly: boolean },
  fn: (conn: Connection) => Promise<T>,
): Promise<T> {
  const conn = await connectWithRetry(ctx, readOnly);
  try {
    return await fn(conn);
  } catch (error) {
    throw namingLostTarget(error, ctx.dialect.target);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * Creates what is missing of the two tables and the lock row. Probing first matters: a CREATE
 * (even IF NOT EXISTS) takes SQLite's write lock, which a running upgrade in another process
 * holds for the length of a migration, so a waiting runner would fail on "database is locked"
 * instead of waiting on Jetbase's lock row.
 */
async function ensureTables(conn: Connection, dialect: Dialect): Promise<void> {
  // Runners racing on a fresh database all find a table missing and all create it; PostgreSQL may
  // fail the losers (a unique violation in its catalog, even with IF NOT EXISTS). A loser probes
  // again and finds the winner's table.
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await tableExists(conn, dialect.sql, 'jetbase_migrations')))
        await ensureMigrationsTable(conn, dialect.sql);
      if (
        !(await tableExists(conn, dialect.sql, 'jetbase_lock')) ||
        (await readLockRow(conn)) === undefined
      ) {
        await ensureLockTable(conn, dialect.sql);
      }
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Holds Jetbase's lock around fn; the release never hides fn's own error. */
async function withLock<T>(
  ctx: EngineContext,
  conn: Connection,
  fn: () => Promise<T>,
): Promise<{ value: T; waitedMs: number }> {
  const sql = ctx.dialect.sql;
  const processId = ctx.processId ?? newProcessId();
  const liveness = ctx.dialect.lockHolder;
  const dropClaim = () => liveness?.unclaim(conn, processId).catch(() => undefined);
  let waitedMs: number;
  try {
    waitedMs = await acquireLock(conn, sql, {
      processId,
      timeoutMs: ctx.lockTimeoutMs ?? 0,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(liveness ? { liveness } : {}),
      onWait: (holder) => ctx.onEvent?.({ type: 'waiting-for-lock', ...holder }),
      onTakeover: (previous) =>
        ctx.onEvent?.({
          type: 'lock-taken-over',
          previousProcessId: previous.processId,
          lockedAt: previous.lockedAt,
          processId,
        }),
    });
  } catch (error) {
    await dropClaim();
    throw error;
  }
  ctx.onEvent?.({ type: 'lock-acquired', processId, waitedMs });
  try {
    return { value: await fn(), waitedMs };
  } finally {
    try {
      await releaseLock(conn, sql, processId);
      ctx.onEvent?.({ type: 'lock-released', processId });
    } catch {
      // The connection may be gone (cancelled, cut); the shell's cleanup releases by process id on a new one.
    }
    // Only once the row is free: while it names us, our claim is what keeps waiters from taking over.
    await dropClaim();
  }
}

function previewOf(file: MigrationFile, section: 'upgrade' | 'rollback'): PreviewEntry {
  // Preview mode (contract §3.5) differs from execution mode in display only (and in indented rollback markers).
  const parsed = parseSqlFile(file.text, 'preview');
  return {
    filename: file.filename,
    relativePath: file.relativePath,
    type: file.type,
    version: file.version,
    statements: parsed[section].statements.map((s) => s.sql),
  };
}

const PLAIN_DML = /^(INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH|MERGE|VALUES)\b/i;

/**
 * The statements of a failed file that stay committed (contract A11). Transactional DDL: none.
 * No transactions: all that ran. MySQL/Snowflake: DDL (and any other statement that is not plain
 * DML: many cause an implicit commit) ends the transaction and everything after it autocommits,
 * so all that ran stays once one such statement ran; plain DML alone rolls back. When in doubt
 * this says "committed": telling a user to check is safer than telling them nothing happened.
 */
export function committedOnFailure(dialect: Dialect, executed: readonly string[]): string[] {
  if (dialect.transactionalDdl) return [];
  if (dialect.supportsTransactions === false) return [...executed];
  return executed.every((statement) => PLAIN_DML.test(statement)) ? [] : [...executed];
}

/**
 * Synchronous drivers (SQLite) never yield to the event loop, so a signal handler would not run
 * until the whole upgrade ended: give it a turn before checking.
 */
async function throwIfCancelled(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new CancelledError();
}

/**
 * One file's statements and its history write (the row's INSERT/UPDATE on upgrade, its DELETE on
 * rollback) in one transaction (A11), through the dialect's fast path when it has one.
 */
async function runMigrationFile(
  ctx: EngineContext,
  conn: Connection,
  file: MigrationFile,
  direction: 'upgrade' | 'rollback',
  final: ParameterizedSql,
): Promise<MigrationOutcome> {
  const { dialect, signal } = ctx;
  const statements = direction === 'upgrade' ? file.upgradeStatements : file.rollbackStatements;
  const shownName = direction === 'upgrade' ? file.relativePath : `${file.relativePath} (rollback section)`;
  const executed: string[] = [];
  const started = performance.now();
  ctx.onEvent?.({ type: 'migration-started', direction, filename: file.filename });
  const finish = (status: MigrationOutcome['status'], error?: string): MigrationOutcome => {
    const outcome: MigrationOutcome = {
      filename: file.filename,
      relativePath: file.relativePath,
      type: file.type,
      version: file.version,
      description: file.description,
      checksum: file.checksum,
      direction,
      status,
      statements: [...executed],
      durationMs: performance.now() - started,
      ...(error === undefined ? {} : { error }),
    };
    ctx.onEvent?.({ type: 'migration-finished', outcome });
    return outcome;
  };
  const hooks: StatementHooks = {
    // Where DDL is transactional, stopping mid-file rolls it all back; elsewhere finish the file.
    before: async () => {
      if (dialect.transactionalDdl) await throwIfCancelled(signal);
    },
    after: (index) => {
      executed.push(statements[index]!);
    },
  };
  try {
    if (conn.runInTransaction) await conn.runInTransaction(statements, final, hooks);
    else await runInTransaction(conn, statements, final, hooks);
  } catch (error) {
    const failure =
      error instanceof StatementFailure && error.index < statements.length
        ? new MigrationError({
            filename: shownName,
            statementIndex: error.index,
            statement: statements[error.index]!,
            committedStatements: committedOnFailure(dialect, executed),
            transactional: dialect.transactionalDdl,
            driverMessage: error.message,
            cause: error.cause,
          })
        : error instanceof StatementFailure
          ? new JetbaseError(
              'DATABASE',
              `Migration ${shownName} ran but could not be recorded in jetbase_migrations (the history write or the commit failed)${dialect.transactionalDdl ? '; its statements were rolled back unless the connection was lost during the commit (then check `jetbase status`)' : ''}: ${error.message}`,
              { cause: error.cause },
            )
          : error instanceof JetbaseError
            ? error
            : new JetbaseError('DATABASE', `Migration ${shownName} failed: ${errorMessage(error)}`, {
                cause: error,
              });
    throw Object.assign(failure, { outcome: finish('failed', failure.message) });
  }
  return finish(direction === 'upgrade' ? 'applied' : 'rolled-back');
}

function applyMigration(
  ctx: EngineContext,
  conn: Connection,
  pending: PendingMigration,
): Promise<MigrationOutcome> {
  const { file } = pending;
  const row = {
    version: file.version,
    description: file.description,
    filename: file.filename,
    migrationType: file.type,
    checksum: file.checksum,
  };
  return runMigrationFile(ctx, conn, file, 'upgrade', historyWrite(ctx.dialect.sql, row, pending.hasRow));
}

function rollbackMigration(
  ctx: EngineContext,
  conn: Connection,
  file: MigrationFile,
): Promise<MigrationOutcome> {
  return runMigrationFile(ctx, conn, file, 'rollback', historyDelete(file.version!));
}

/** The portable form of Connection.runInTransaction: one round trip per statement. */
async function runInTransaction(
  conn: Connection,
  statements: readonly string[],
  final: ParameterizedSql,
  hooks: StatementHooks,
): Promise<void> {
  await conn.transaction(async () => {
    for (const [index, statement] of statements.entries()) {
      await hooks.before(index);
      try {
        await conn.execute(statement);
      } catch (error) {
        throw new StatementFailure(index, error);
      }
      hooks.after(index);
    }
    try {
      await conn.execute(final.sql, final.params);
    } catch (error) {
      throw new StatementFailure(statements.length, error);
    }
  });
}

function outcomeOf(error: unknown): MigrationOutcome | undefined {
  return (error as { outcome?: MigrationOutcome } | null)?.outcome;
}

export async function upgrade(ctx: EngineContext, options: UpgradeOptions = {}): Promise<UpgradeReport> {
  const started = performance.now();
  const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
  checkCountAndTarget('upgrade', options.count, toVersion);
  const discovery = discoverMigrations(ctx.jetbaseDir);
  if (!options.dryRun) assertValidNames(discovery);
  const planOptions = {
    ...options,
    ...(toVersion === undefined ? {} : { toVersion }),
  };
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: Boolean(options.dryRun) }, async (conn) => {
    const report = (fields: Partial<UpgradeReport> & { plan: Plan }): UpgradeReport => {
      const error =
        fields.error ??
        (hasErrors(fields.plan.problems) ? new ValidationError(fields.plan.problems) : undefined);
      return {
        command: 'upgrade',
        target: dialect.target,
        dryRun: Boolean(options.dryRun),
        outcomes: [],
        preview: [],
        upToDate: false,
        ...fields,
        ok: error === undefined,
        ...(error === undefined ? {} : { error }),
        durationMs: performance.now() - started,
      };
    };

    if (options.dryRun) {
      const { rows } = await readHistoryIfExists(conn, dialect.sql);
      const plan = buildPlan(discovery, rows, planOptions);
      const order = executionOrder(plan);
      return report({
        plan,
        preview: order.map((p) => previewOf(p.file, 'upgrade')),
        upToDate: order.length === 0,
      });
    }

    // Read-only until the plan is known to be valid: a run that stops on a problem writes nothing.
    const firstPlan = buildPlan(discovery, (await readHistoryIfExists(conn, dialect.sql)).rows, planOptions);
    if (hasErrors(firstPlan.problems)) return report({ plan: firstPlan });
    await ensureTables(conn, dialect);
    if (executionOrder(firstPlan).length === 0) return report({ plan: firstPlan, upToDate: true });

    const outcomes: MigrationOutcome[] = [];
    let plan = firstPlan;
    try {
      const { waitedMs } = await withLock(ctx, conn, async () => {
        // Another runner may have applied migrations while we waited: plan again under the lock.
        plan = buildPlan(discovery, await readHistory(conn), planOptions);
        if (hasErrors(plan.problems)) return;
        for (const pending of executionOrder(plan)) {
          await throwIfCancelled(ctx.signal);
          outcomes.push(await applyMigration(ctx, conn, pending));
        }
      });
      return report({ plan, outcomes, upToDate: outcomes.length === 0, lockWaitMs: waitedMs });
    } catch (error) {
      const failed = outcomeOf(error);
      if (failed) outcomes.push(failed);
      if (error instanceof MigrationError || error instanceof CancelledError || failed) {
        return report({ plan, outcomes, error: namingLostTarget(error as JetbaseError, dialect.target) });
      }
      throw error;
    }
  });
}

/** Targets of a rollback: applied VERSIONED keys, newest applied first (A6). */
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

export async function rollback(ctx: EngineContext, options: RollbackOptions = {}): Promise<RollbackReport> {
  const started = performance.now();
  const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
  checkCountAndTarget('rollback', options.count, toVersion);
  const discovery = discoverMigrations(ctx.jetbaseDir);
  assertValidNames(discovery);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: Boolean(options.dryRun) }, async (conn) => {
    const report = (fields: Partial<RollbackReport>): RollbackReport => ({
      command: 'rollback',
      target: dialect.target,
      dryRun: Boolean(options.dryRun),
      targets: [],
      preview: [],
      outcomes: [],
      ...fields,
      ok: fields.error === undefined,
      durationMs: performance.now() - started,
    });
    if (options.dryRun) {
      const { rows } = await readHistoryIfExists(conn, dialect.sql);
      const targets = rollbackTargets(rows, options.count, toVersion);
      const files = filesForTargets(discovery, targets);
      return report({ targets, preview: files.map((f) => previewOf(f, 'rollback')) });
    }
    // Read-only until the request is known to be valid: an unknown --to-version writes nothing.
    const firstTargets = rollbackTargets(
      (await readHistoryIfExists(conn, dialect.sql)).rows,
      options.count,
      toVersion,
    );
    filesForTargets(discovery, firstTargets);
    await ensureTables(conn, dialect);
    if (firstTargets.length === 0) return report({});

    const outcomes: MigrationOutcome[] = [];
    let targets = firstTargets;
    try {
      const { waitedMs } = await withLock(ctx, conn, async () => {
        targets = rollbackTargets(await readHistory(conn), options.count, toVersion);
        for (const file of filesForTargets(discovery, targets)) {
          await throwIfCancelled(ctx.signal);
          outcomes.push(await rollbackMigration(ctx, conn, file));
        }
      });
      return report({ targets, outcomes, lockWaitMs: waitedMs });
    } catch (error) {
      const failed = outcomeOf(error);
      if (failed) outcomes.push(failed);
      if (error instanceof MigrationError || error instanceof CancelledError || failed) {
        return report({
          targets,
          outcomes,
          error: namingLostTarget(
            error instanceof JetbaseError ? error : new JetbaseError('DATABASE', errorMessage(error)),
            dialect.target,
          ),
        });
      }
      throw error;
    }
  });
}

/** Read-only: the plan with every problem (the PR check). Never creates tables (A10). */
export async function status(ctx: EngineContext, options: SkipOptions = {}): Promise<StatusReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { exists, rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    const plan = buildPlan(discovery, rows, options);
    return {
      command: 'status',
      target: ctx.dialect.target,
      tableExists: exists,
      applied: rows,
      plan,
      problems: plan.problems,
      ok: !hasErrors(plan.problems),
      durationMs: performance.now() - started,
    };
  });
}

export async function history(ctx: EngineContext): Promise<HistoryReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { exists, rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    return {
      command: 'history',
      target: ctx.dialect.target,
      tableExists: exists,
      rows,
      durationMs: performance.now() - started,
    };
  });
}

export async function current(ctx: EngineContext): Promise<CurrentReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    return {
      command: 'current',
      target: ctx.dialect.target,
      version: latestVersioned(rows)?.version ?? null,
      durationMs: performance.now() - started,
    };
  });
}

async function bothTablesExist(conn: Connection, dialect: Dialect): Promise<boolean> {
  return (
    (await tableExists(conn, dialect.sql, 'jetbase_migrations')) &&
    (await tableExists(conn, dialect.sql, 'jetbase_lock'))
  );
}

export async function lockStatus(ctx: EngineContext): Promise<LockStatusReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    // A12 / §10 item 11: no lock table reads as UNLOCKED, on every database.
    const row = (await bothTablesExist(conn, ctx.dialect)) ? await readLockRow(conn) : undefined;
    return {
      command: 'lock-status',
      target: ctx.dialect.target,
      locked: row?.isLocked ?? false,
      lockedAt: row?.isLocked ? row.lockedAt : null,
      processId: row?.isLocked ? row.processId : null,
      row,
      durationMs: performance.now() - started,
    };
  });
}

export async function unlock(ctx: EngineContext): Promise<UnlockReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    if (!(await bothTablesExist(conn, ctx.dialect))) {
      return {
        command: 'unlock',
        target: ctx.dialect.target,
        touchedDatabase: false,
        wasLocked: false,
        durationMs: performance.now() - started,
      };
    }
    const row = await readLockRow(conn);
    await forceUnlock(conn, ctx.dialect.sql);
    return {
      command: 'unlock',
      target: ctx.dialect.target,
      touchedDatabase: true,
      wasLocked: row?.isLocked ?? false,
      durationMs: performance.now() - started,
    };
  });
}

/** Releases the lock held by `processId` (the action's post step after a kill); never another holder's. */
export async function releaseLockOf(ctx: EngineContext, processId: string): Promise<boolean> {
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    if (!(await tableExists(conn, ctx.dialect.sql, 'jetbase_lock'))) return false;
    return releaseLock(conn, ctx.dialect.sql, processId);
  });
}

function fileValidationErrors(plan: Plan): void {
  const blocking = plan.problems.filter((p) => p.severity === 'error' && p.kind !== 'checksum-mismatch');
  if (blocking.length > 0)
    throw new ValidationError(plan.problems.filter((p) => p.kind !== 'checksum-mismatch'));
}

export async function validateChecksums(
  ctx: EngineContext,
  options: SkipOptions & { fix?: boolean } = {},
): Promise<ChecksumsReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  const fix = Boolean(options.fix);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: !fix }, async (conn) => {
    const report = (fields: Partial<ChecksumsReport>): ChecksumsReport => ({
      command: 'validate-checksums',
      target: dialect.target,
      fix,
      nothingApplied: false,
      mismatches: [],
      repaired: [],
      ...fields,
      durationMs: performance.now() - started,
    });
    // Upstream fails with "no such table" on a fresh database (§10 item 15); nothing applied is the truthful answer.
    const { rows } = await readHistoryIfExists(conn, dialect.sql);
    if (!rows.some((r) => r.migrationType === 'VERSIONED')) return report({ nothingApplied: true });
    const mismatchesOf = (history: readonly HistoryRow[]): ChecksumMismatch[] => {
      const plan = buildPlan(discovery, history, { ...options, skipChecksumValidation: true });
      fileValidationErrors(plan);
      const stored = new Map(
        history.filter((r) => r.migrationType === 'VERSIONED').map((r) => [r.version!, r.checksum]),
      );
      const found: ChecksumMismatch[] = [];
      for (const file of discovery.versioned) {
        if (!stored.has(file.version!)) continue;
        const sum = stored.get(file.version!) ?? null;
        if (sum !== file.checksum)
          found.push({
            version: file.version!,
            relativePath: file.relativePath,
            stored: sum,
            actual: file.checksum,
          });
      }
      return found;
    };
    const mismatches = mismatchesOf(rows);
    if (!fix || mismatches.length === 0) return report({ mismatches });
    const { value } = await withLock(ctx, conn, async () => {
      const underLock = mismatchesOf(await readHistory(conn));
      await conn.transaction(async () => {
        for (const m of underLock) await updateVersionChecksum(conn, m.version, m.actual);
      });
      return underLock;
    });
    return report({ mismatches: value, repaired: value.map((m) => m.version) });
  });
}

function missingFiles(
  discovery: Discovery,
  history: readonly HistoryRow[],
): { versions: string[]; repeatables: string[] } {
  const fileVersions = new Set(discovery.versioned.map((f) => f.version!));
  const ra = new Set(discovery.runsAlways.map((f) => f.filename));
  const roc = new Set(discovery.runsOnChange.map((f) => f.filename));
  const versions: string[] = [];
  const repeatables = new Set<string>();
  for (const row of history) {
    if (row.migrationType === 'VERSIONED') {
      if (row.version !== null && !fileVersions.has(row.version)) versions.push(row.version);
    } else if (!(row.migrationType === 'RUNS_ALWAYS' ? ra : roc).has(row.filename)) {
      repeatables.add(row.filename);
    }
  }
  // Versions in the order they were applied, like upstream's order_executed listing.
  return { versions, repeatables: [...repeatables].sort() };
}

export async function validateFiles(
  ctx: EngineContext,
  options: { fix?: boolean } = {},
): Promise<FilesReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  const nameErrors = discovery.problems.filter((p) => p.severity === 'error');
  if (nameErrors.length > 0) throw new ValidationError(discovery.problems);
  const fix = Boolean(options.fix);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: !fix }, async (conn) => {
    const report = (fields: Partial<FilesReport>): FilesReport => ({
      command: 'validate-files',
      target: dialect.target,
      fix,
      missingVersions: [],
      missingRepeatables: [],
      removedVersions: [],
      removedRepeatables: [],
      ...fields,
      durationMs: performance.now() - started,
    });
    const { rows } = await readHistoryIfExists(conn, dialect.sql);
    const missing = missingFiles(discovery, rows);
    if (!fix || (missing.versions.length === 0 && missing.repeatables.length === 0)) {
      return report({ missingVersions: missing.versions, missingRepeatables: missing.repeatables });
    }
    await ensureTables(conn, dialect);
    const { value } = await withLock(ctx, conn, async () => {
      const underLock = missingFiles(discovery, await readHistory(conn));
      await conn.transaction(async () => {
        for (const version of underLock.versions) await deleteVersionRow(conn, version);
      });
      await conn.transaction(async () => {
        for (const filename of underLock.repeatables) await deleteRepeatableRow(conn, filename);
      });
      return underLock;
    });
    return report({
      missingVersions: value.versions,
      missingRepeatables: value.repeatables,
      removedVersions: value.versions,
      removedRepeatables: value.repeatables,
    });
  });
}

/** fix-files then fix-checksums (contract §6.12). */
export async function fixAll(ctx: EngineContext, options: SkipOptions = {}): Promise<FixReport> {
  const started = performance.now();
  const files = await validateFiles(ctx, { fix: true });
  const checksums = await validateChecksums(ctx, { ...options, fix: true });
  return {
    command: 'fix',
    target: ctx.dialect.target,
    files,
    checksums,
    durationMs: performance.now() - started,
  };
}
