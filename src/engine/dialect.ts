/**
 * The one interface every database implements. The engine owns everything Jetbase-specific
 * (statement splitting, history and lock SQL, checksums, ordering, validation); a dialect owns
 * connecting, placeholders, the exact text of Jetbase's two tables for its database, and what its
 * driver's errors say.
 *
 * How to implement a dialect (one folder under src/dialects/<name>/, one case in registry.ts):
 *  1. `sql`: the CREATE TABLE statements of jetbase_migrations and jetbase_lock, the lock row's
 *     creation, the table probes and the "now" expression, byte for byte what Python Jetbase issues
 *     on this database, so both tools can share one database. Texts two dialects share (Snowflake's
 *     and Databricks' MERGE) live once in src/dialects/common.ts.
 *  2. `connect()`: one live session. The engine pins it for lock, migrations and history writes.
 *     Every call outside `transaction()` commits on its own (autocommit). A read-only session
 *     (`readOnly`) refuses writes where the database can enforce it.
 *  3. `Connection.execute/query`: `?` placeholders appear only in engine-owned SQL; rewrite them
 *     to the driver's form. With no params the text is sent exactly as written: a user's `?` or
 *     `:name` is never taken for a placeholder. Rows come back with lower-case column names
 *     (`lowerCaseKeys`); timestamps as the database's text form (`YYYY-MM-DD HH:MM:SS[.fraction]`),
 *     never as a JS Date (that would lose microseconds and shift time zones); booleans and counts
 *     may be any of boolean/number/bigint/string.
 *  4. `transaction(fn)`: `inTransaction` of src/dialects/common.ts with the session's own way to
 *     send a statement (and the database's BEGIN, if it is not plain `BEGIN`). Where the database
 *     has no transactions, a plain call, `supportsTransactions` false and `transactionalDdl` false.
 *  5. Errors: throw an Error whose message is the driver's message, with no secret in it
 *     (`scrubbedError`, `withoutSecret`); the engine wraps and redacts again.
 *  6. `driverErrorIs`, where the driver has codes or texts of its own for "the server is starting
 *     up" or "the connection was lost": the engine retries the first connection on 'transient'
 *     and names the target on 'lost'. Node's own socket errors need nothing here.
 *  7. Pass the shared conformance suite in __tests__/dialects/ (conformance.ts).
 */

export type DialectName = 'postgresql' | 'sqlite' | 'mysql' | 'snowflake' | 'databricks';

export type SqlValue = string | number | boolean | null;

export type SqlRow = Record<string, unknown>;

export interface ExecuteResult {
  /** Rows changed (or matched, for MySQL with a predicate that makes them equal). Never assumed. */
  readonly rowsAffected: number;
}

/** SQL with `?` placeholders and their values. */
export interface ParameterizedSql {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * Called around each statement of a migration: `before` may throw to stop (cancellation). A fast
 * path that sends the statements together calls `before(0)` once, before sending, and `after(i)`
 * for each statement that completed.
 */
export interface StatementHooks {
  before(index: number): Promise<void>;
  after(index: number): void;
  /**
   * Set where the file may stop part way (its DDL is transactional): a fast path that sends the
   * statements together may interrupt them when it aborts, then lets `before` throw.
   */
  readonly signal?: AbortSignal;
}

/**
 * A statement of a migration failed; `index === statements.length` means the final write.
 * `outcomeUnknown`: the connection was lost with the whole migration already sent (PostgreSQL's one
 * message, MySQL's one query), so the server goes on with it unseen by us: on PostgreSQL all of it
 * commits with its history row, or none of it; on MySQL its statements run in order until one
 * fails, DDL committing as it goes, and the history row comes only after the last.
 */
export class StatementFailure extends Error {
  readonly index: number;
  readonly outcomeUnknown: boolean;
  constructor(index: number, cause: unknown, options: { outcomeUnknown?: boolean } = {}) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'StatementFailure';
    this.index = index;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

export interface Connection {
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecuteResult>;
  query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs fn inside BEGIN/COMMIT, ROLLBACK when it throws; a plain call where there are no transactions. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Optional fast path for one migration, with exactly the meaning of
   * `transaction(async () => { for each statement: before(i); execute(statement); after(i); then execute(final) })`
   * in fewer round trips (PostgreSQL: the whole migration as one message). A failed statement or
   * final write rejects with a StatementFailure; an error thrown by `before` is rethrown as is,
   * after a rollback.
   */
  runInTransaction?(
    statements: readonly string[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void>;
  close(): Promise<void>;
}

export type JetbaseTable = 'jetbase_migrations' | 'jetbase_lock';

/** The per-database text of Jetbase's two tables that the engine cannot write once for all. */
export interface DialectSql {
  /** `CREATE TABLE IF NOT EXISTS jetbase_migrations (…)` exactly as Jetbase creates it. */
  readonly createMigrationsTable: string;
  /** `CREATE TABLE IF NOT EXISTS jetbase_lock (…)` exactly as Jetbase creates it. */
  readonly createLockTable: string;
  /** Idempotent creation of the lock row id = 1. */
  readonly initLockRow: string;
  /** A query whose first row's first column is truthy when the table exists in the current schema. */
  tableExists(table: JetbaseTable): string;
  /** The "now" expression Jetbase uses on writes: `CURRENT_TIMESTAMP`, `STRFTIME(…)`, … */
  readonly now: string;
  /** Boolean literals as Jetbase writes them (SQLite: 1/0). */
  readonly true: string;
  readonly false: string;
  /** Databricks' applied_at has no default: the history insert supplies `now`. */
  readonly insertSuppliesAppliedAt: boolean;
}

/** The two meanings of a driver error the engine acts on. */
export type DriverErrorKind =
  /** The first connection may work if tried again: the server is starting up, or dropped the attempt. */
  | 'transient'
  /** A connection that was up is gone: the server closed it, or the network cut it. */
  | 'lost';

/** One error of a cause chain, as the engine hands it to a dialect to classify. */
export interface DriverError {
  readonly message: string;
  /** The error's `code` where it is a string: a SQLSTATE, a driver's own code, a Node code. */
  readonly code: string | undefined;
}

export interface Dialect {
  readonly name: DialectName;
  /** Can a failed migration's DDL be rolled back inside a transaction? (Kysely's supportsTransactionalDdl) */
  readonly transactionalDdl: boolean;
  /**
   * False where there are no multi-statement transactions at all (Databricks): every statement
   * stands alone. Default true. Where DDL is not transactional but transactions exist (MySQL,
   * Snowflake), a DDL statement commits the open transaction and the session autocommits after it.
   */
  readonly supportsTransactions?: boolean;
  readonly sql: DialectSql;
  /** The target without secrets, for messages: `postgresql://app@db:5432/prod`. */
  readonly target: string;
  /**
   * `readOnly`: the command only reads (status, validate, dry runs, audits), so a check with
   * read-only credentials works. Where the database can enforce it, the session refuses writes;
   * SQLite creates no file for it.
   */
  connect(options?: ConnectOptions): Promise<Connection>;
  /**
   * Optional: lets a runner that was told to wait take over the lock of a holder that is gone
   * (killed, its session ended). Without it a held lock is only waited for. See src/engine/lock.ts.
   */
  readonly lockHolder?: LockHolderLiveness;
  /**
   * Optional: a query whose first row's first column names one table or view of the current
   * database (or schema, where Jetbase's tables live in one); no row when there is none. `verify`
   * refuses a database where it finds one, before writing anything.
   */
  readonly anyTableOrView?: string;
  /**
   * Optional: is this error (one link of a cause chain: the error, its cause, …) of `kind`, by the
   * codes and texts of this dialect's own driver and server? The engine itself knows only Node's
   * socket errors (ECONNREFUSED, ECONNRESET, …), so a driver that adds none needs no classifier.
   * A plain function (no `this`): the engine may keep it apart from the dialect.
   */
  readonly driverErrorIs?: (error: DriverError, kind: DriverErrorKind) => boolean;
}

/**
 * How a lock holder shows it is alive. `claim` runs on the holder's connection before it takes the
 * lock row and lasts as long as that session (a PostgreSQL advisory lock, a MySQL named lock);
 * `state` runs on a waiting runner's connection. 'unknown' is never taken over.
 */
export interface LockHolderLiveness {
  claim(conn: Connection, processId: string): Promise<void>;
  unclaim(conn: Connection, processId: string): Promise<void>;
  state(conn: Connection, processId: string): Promise<'alive' | 'gone' | 'unknown'>;
}

export interface ConnectOptions {
  readonly readOnly?: boolean;
}
