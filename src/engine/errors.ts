/**
 * Every error the engine raises is a JetbaseError with a stable `code`; shells map codes to exit
 * codes (usage errors 2, everything else 1) and print `message`, which is always one readable text
 * naming the input at fault and never containing a secret (messages pass through redaction).
 */

export type ErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'URL'
  | 'DIRECTORY'
  | 'FILENAME'
  | 'DUPLICATE_VERSION'
  | 'VALIDATION'
  | 'VERSION_NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'LOCK_HELD'
  | 'MIGRATION_FAILED'
  | 'DATABASE'
  | 'UNSUPPORTED_DATABASE'
  | 'DRIVER_MISSING'
  | 'CANCELLED'
  /** A deploy whose plan differs from the reviewed one (or has no review), refused before anything ran. */
  | 'PLAN_NOT_REVIEWED'
  /** `verify` was given a database it must not write to (not empty, or the target itself). */
  | 'NOT_DISPOSABLE';

export class JetbaseError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, shown after the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JetbaseError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** A usage error: bad flags or flag combinations (exit code 2). */
export class UsageError extends JetbaseError {
  constructor(message: string, options?: { hint?: string }) {
    super('USAGE', message, options);
    this.name = 'UsageError';
  }
}

export class ConfigError extends JetbaseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

export class UrlError extends JetbaseError {
  constructor(message: string, options?: { hint?: string }) {
    super('URL', message, options);
    this.name = 'UrlError';
  }
}

export class DirectoryError extends JetbaseError {
  constructor(message: string, options?: { hint?: string }) {
    super('DIRECTORY', message, options);
    this.name = 'DirectoryError';
  }
}

export class LockHeldError extends JetbaseError {
  constructor(message: string, options?: { hint?: string }) {
    super('LOCK_HELD', message, options);
    this.name = 'LockHeldError';
  }
}

export class CancelledError extends JetbaseError {
  constructor(message = 'Cancelled by a signal; the lock was released.') {
    super('CANCELLED', message);
    this.name = 'CancelledError';
  }
}

/** One problem found while validating files against history; a run reports all of them at once, never only the first. */
export interface ValidationProblem {
  readonly kind:
    | 'invalid-filename'
    | 'unreadable-file'
    | 'filename-too-long'
    | 'duplicate-version'
    | 'checksum-mismatch'
    | 'missing-file'
    | 'missing-repeatable'
    | 'out-of-order'
    | 'unterminated-statement'
    | 'trailing-comment';
  readonly severity: 'error' | 'warning';
  /** Path relative to the jetbase directory (e.g. `migrations/V2__x.sql`), when there is a file. */
  readonly file?: string;
  /** 1-based line in that file, when there is one. */
  readonly line?: number;
  readonly version?: string;
  readonly message: string;
  /** The command that fixes it, when there is one. */
  readonly fix?: string;
}

export class ValidationError extends JetbaseError {
  readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    const lines = errors.map((p) => `- ${p.message}`);
    super(
      errors.some((p) => p.kind === 'duplicate-version') && errors.length === 1
        ? 'DUPLICATE_VERSION'
        : 'VALIDATION',
      `Validation failed with ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** Which part of a migration file ran: the upgrade statements or the rollback section. */
export type MigrationSection = 'upgrade' | 'rollback';

/** Where in its file a failed statement is. */
export interface StatementLocation {
  /** Path relative to the jetbase directory (`migrations/V2__x.sql`). */
  readonly file: string;
  readonly section: MigrationSection;
  /** 0-based index among the section's statements. */
  readonly statementIndex: number;
  /** 1-based line where the statement starts. */
  readonly line: number | undefined;
}

function sectionLabel(file: string, section: MigrationSection): string {
  return section === 'upgrade' ? file : `${file} (rollback section)`;
}

/**
 * A statement of a migration failed. Where DDL is transactional its transaction was rolled back;
 * elsewhere the statements in `committedStatements` stay applied (docs/format.md, "Failed
 * migrations").
 */
export class MigrationError extends JetbaseError implements StatementLocation {
  readonly file: string;
  readonly section: MigrationSection;
  readonly statementIndex: number;
  readonly line: number | undefined;
  readonly statement: string;
  /** Statements of this file that had already run and stay committed (empty where DDL is transactional). */
  readonly committedStatements: readonly string[];
  /** The database's own message. */
  readonly driverMessage: string;

  constructor(
    args: StatementLocation & {
      statement: string;
      committedStatements: readonly string[];
      driverMessage: string;
      cause?: unknown;
    },
  ) {
    const shown = sectionLabel(args.file, args.section);
    const excerpt = args.statement.length > 300 ? `${args.statement.slice(0, 300)}…` : args.statement;
    const where = `${shown}, statement ${args.statementIndex + 1}`;
    let message = `Migration ${where} failed: ${args.driverMessage}\n  SQL: ${excerpt}`;
    if (args.line !== undefined) message += `\n  Where: ${args.file}, line ${args.line}`;
    if (args.committedStatements.length > 0) {
      const n = args.committedStatements.length;
      message +=
        `\n  This database commits DDL implicitly: ${n} earlier statement${n === 1 ? ' of this file was' : 's of this file were'} already committed and stay applied:` +
        args.committedStatements
          .map((s, i) => `\n    ${i + 1}. ${s.length > 120 ? `${s.slice(0, 120)}…` : s}`)
          .join('') +
        `\n  No history row was written for ${shown}. Undo those statements by hand (or make the file idempotent), fix the failing statement, and run upgrade again.`;
    } else {
      message += `\n  The migration's transaction was rolled back: nothing of ${shown} was applied and no history row was written.`;
    }
    super('MIGRATION_FAILED', message, { cause: args.cause });
    this.name = 'MigrationError';
    this.file = args.file;
    this.section = args.section;
    this.statementIndex = args.statementIndex;
    this.line = args.line;
    this.statement = args.statement;
    this.committedStatements = args.committedStatements;
    this.driverMessage = args.driverMessage;
  }
}

/** A migration's statements ran but its history write (or the commit with it) failed. */
export class HistoryWriteError extends JetbaseError {
  readonly file: string;
  readonly section: MigrationSection;

  constructor(args: {
    file: string;
    section: MigrationSection;
    transactionalDdl: boolean;
    driverMessage: string;
    cause?: unknown;
  }) {
    super(
      'DATABASE',
      `Migration ${sectionLabel(args.file, args.section)} ran but could not be recorded in jetbase_migrations (the history write or the commit failed)${args.transactionalDdl ? '; its statements were rolled back unless the connection was lost during the commit (then check `jetbase status`)' : ''}: ${args.driverMessage}`,
      { cause: args.cause },
    );
    this.name = 'HistoryWriteError';
    this.file = args.file;
    this.section = args.section;
  }
}

/**
 * The connection was lost after a migration was sent whole and before the database answered: it
 * commits all of it with its history row, or none of it (docs/architecture.md, "PostgreSQL in one
 * round trip"). Only the history can tell which.
 */
export class MigrationOutcomeUnknownError extends JetbaseError {
  readonly file: string;
  readonly section: MigrationSection;

  constructor(args: {
    file: string;
    section: MigrationSection;
    /** False (MySQL): DDL commits as the server goes, so a first part of the file may stay applied. */
    transactionalDdl?: boolean;
    driverMessage: string;
    cause?: unknown;
  }) {
    const outcome =
      args.transactionalDdl === false
        ? 'was sent as one query and the connection was lost before the database answered: the database runs its statements in order until one fails, and its DDL commits as it goes, so any first part of it may be applied; its history row is written only if all of it ran. Run `jetbase status` to see whether it was recorded, and check the schema if it was not'
        : 'was sent as one transaction and the connection was lost before the database answered: the database applies all of it with its history row, or none of it. Run `jetbase status` to see which';
    super(
      'DATABASE',
      `Migration ${sectionLabel(args.file, args.section)} ${outcome}: ${args.driverMessage}`,
      { cause: args.cause },
    );
    this.name = 'MigrationOutcomeUnknownError';
    this.file = args.file;
    this.section = args.section;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
