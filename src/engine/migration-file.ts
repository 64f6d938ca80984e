/**
 * One migration file's statements and its history write (the row's INSERT/UPDATE on upgrade, its
 * DELETE on rollback) in one transaction where the database has them, through the dialect's fast
 * path when it has one. A failure comes back as a typed outcome, never thrown.
 */
import { performance } from 'node:perf_hooks';

import {
  StatementFailure,
  type Connection,
  type Dialect,
  type ParameterizedSql,
  type StatementHooks,
} from './dialect.js';
import type { MigrationFile } from './discovery.js';
import {
  HistoryWriteError,
  JetbaseError,
  MigrationError,
  MigrationOutcomeUnknownError,
  errorMessage,
  type MigrationSection,
} from './errors.js';
import { parseSqlFile } from './sql-file.js';
import { throwIfCancelled } from './session.js';
import type { EngineContext, MigrationOutcome, PreviewEntry } from './types.js';

/** A file as a dry run shows it (preview mode differs from execution mode in display only). */
export function previewOf(file: MigrationFile, section: MigrationSection): PreviewEntry {
  const parsed = parseSqlFile(file.text, 'preview');
  return {
    filename: file.filename,
    relativePath: file.relativePath,
    type: file.type,
    version: file.version,
    statements: parsed[section].statements.map((s) => s.sql),
    delimiter: parsed.delimiter,
  };
}

const PLAIN_DML = /^(INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH|MERGE|VALUES)\b/i;

/**
 * The statements of a failed file that stay committed (docs/format.md, "Failed migrations").
 * Transactional DDL: none. No transactions: all that ran. MySQL/Snowflake: DDL (and any other
 * statement that is not plain DML: many cause an implicit commit) ends the transaction and
 * everything after it autocommits, so all that ran stays once one such statement ran; plain DML
 * alone rolls back. When in doubt this says "committed": telling a user to check is safer than
 * telling them nothing happened.
 */
export function committedOnFailure(dialect: Dialect, executed: readonly string[]): string[] {
  if (dialect.transactionalDdl) return [];
  if (dialect.supportsTransactions === false) return [...executed];
  return executed.every((statement) => PLAIN_DML.test(statement)) ? [] : [...executed];
}

/** Each statement, then the history write, on `conn` as it is (in a transaction or not). */
async function runStatements(
  conn: Connection,
  statements: readonly string[],
  final: ParameterizedSql,
  hooks: StatementHooks,
): Promise<void> {
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
}

/** The portable form of Connection.runInTransaction: one round trip per statement. */
function runInTransaction(
  conn: Connection,
  statements: readonly string[],
  final: ParameterizedSql,
  hooks: StatementHooks,
): Promise<void> {
  return conn.transaction(() => runStatements(conn, statements, final, hooks));
}

function failureOf(
  error: unknown,
  ctx: EngineContext,
  file: MigrationFile,
  section: MigrationSection,
  statements: readonly string[],
  executed: readonly string[],
): JetbaseError {
  const { dialect } = ctx;
  if (error instanceof StatementFailure && error.outcomeUnknown) {
    return new MigrationOutcomeUnknownError({
      file: file.relativePath,
      section,
      transactionalDdl: dialect.transactionalDdl,
      driverMessage: error.message,
      cause: error.cause,
    });
  }
  if (error instanceof StatementFailure && error.index < statements.length) {
    const parsed = section === 'upgrade' ? file.parsed.upgrade : file.parsed.rollback;
    return new MigrationError({
      file: file.relativePath,
      section,
      statementIndex: error.index,
      line: parsed.statements[error.index]?.line,
      statement: statements[error.index]!,
      committedStatements:
        file.transactionOff === true ? [...executed] : committedOnFailure(dialect, executed),
      driverMessage: error.message,
      cause: error.cause,
    });
  }
  if (error instanceof StatementFailure) {
    return new HistoryWriteError({
      file: file.relativePath,
      section,
      transactionalDdl: dialect.transactionalDdl && file.transactionOff !== true,
      driverMessage: error.message,
      cause: error.cause,
    });
  }
  if (error instanceof JetbaseError) return error;
  const shown = section === 'upgrade' ? file.relativePath : `${file.relativePath} (rollback section)`;
  return new JetbaseError('DATABASE', `Migration ${shown} failed: ${errorMessage(error)}`, { cause: error });
}

export async function runMigrationFile(
  ctx: EngineContext,
  conn: Connection,
  file: MigrationFile,
  section: MigrationSection,
  final: ParameterizedSql,
): Promise<MigrationOutcome> {
  const { dialect, signal } = ctx;
  const statements = section === 'upgrade' ? file.upgradeStatements : file.rollbackStatements;
  const executed: string[] = [];
  const started = performance.now();
  ctx.onEvent?.({ type: 'migration-started', direction: section, filename: file.filename });
  const finish = (failure?: JetbaseError): MigrationOutcome => {
    const outcome: MigrationOutcome = {
      filename: file.filename,
      relativePath: file.relativePath,
      type: file.type,
      version: file.version,
      description: file.description,
      checksum: file.checksum,
      direction: section,
      status: failure !== undefined ? 'failed' : section === 'upgrade' ? 'applied' : 'rolled-back',
      statements: [...executed],
      durationMs: performance.now() - started,
      ...(failure === undefined ? {} : { failure }),
    };
    ctx.onEvent?.({ type: 'migration-finished', outcome });
    return outcome;
  };
  // Where DDL is transactional, stopping mid-file rolls it all back; elsewhere finish the file.
  const stoppable = dialect.transactionalDdl && file.transactionOff !== true;
  const hooks: StatementHooks = {
    before: async () => {
      if (stoppable) await throwIfCancelled(signal);
    },
    ...(stoppable && signal !== undefined ? { signal } : {}),
    after: (index) => {
      executed.push(statements[index]!);
    },
  };
  try {
    // transaction=off: each statement commits on its own and the row comes after the last one, so a
    // failure leaves the statements before it applied and no row (the file stays pending).
    if (file.transactionOff === true) await runStatements(conn, statements, final, hooks);
    else if (conn.runInTransaction) await conn.runInTransaction(statements, final, hooks);
    else await runInTransaction(conn, statements, final, hooks);
  } catch (error) {
    return finish(failureOf(error, ctx, file, section, statements, executed));
  }
  return finish();
}
