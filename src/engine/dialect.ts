/**
 * The one interface every database implements. The engine owns everything Jetbase-specific
 * (statement splitting, history and lock SQL, checksums, ordering, validation); a dialect owns
 * connecting, placeholders, the exact DDL of contract §5 and turning driver errors into text.
 *
 * How to implement a dialect (one folder under src/dialects/<name>/):
 *  1. `sql`: the DDL, probes and expressions of contract §5.1, §5.5, §5.7 for this database,
 *     byte for byte what Python Jetbase issues, so both tools can share one database.
 *  2. `connect()`: one live session. The engine pins it for lock, migrations and history writes.
 *     Every call outside `transaction()` commits on its own (autocommit).
 *  3. `Connection.execute/query`: `?` placeholders appear only in engine-owned SQL; rewrite them
 *     to the driver's form. With no params the text is sent exactly as written (contract A15).
 *     Rows come back with lower-case column names; timestamps as the database's text form
 *     (`YYYY-MM-DD HH:MM:SS[.fraction]`), never as a JS Date (that would lose microseconds and
 *     shift time zones); booleans and counts may be any of boolean/number/bigint/string.
 *  4. `transaction(fn)`: BEGIN … COMMIT, ROLLBACK when fn throws. Where the database has no
 *     transactions, a plain call, and `transactionalDdl` is false.
 *  5. Errors: throw Error whose message is the driver's message; the engine wraps and redacts.
 *  6. Pass the shared conformance suite in __tests__/dialects/.
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

/** Called around each statement of a migration: `before` may throw to stop (cancellation). */
export interface StatementHooks {
  before(index: number): Promise<void>;
  after(index: number): void;
}

/** A statement of a migration failed; `index === statements.length` means the final write. */
export class StatementFailure extends Error {
  readonly index: number;
  constructor(index: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'StatementFailure';
    this.index = index;
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
   * in fewer round trips (PostgreSQL: BEGIN rides with the first statement and COMMIT with the
   * history write). A failed statement or final write rejects with a StatementFailure; an error
   * thrown by `before` is rethrown as is, after a rollback.
   */
  runInTransaction?(
    statements: readonly string[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void>;
  close(): Promise<void>;
}

export type JetbaseTable = 'jetbase_migrations' | 'jetbase_lock';

/** The per-database SQL of contract §5 that the engine cannot write once for all. */
export interface DialectSql {
  /** `CREATE TABLE IF NOT EXISTS jetbase_migrations (…)` exactly as Jetbase creates it (§5.1). */
  readonly createMigrationsTable: string;
  /** `CREATE TABLE IF NOT EXISTS jetbase_lock (…)` (§5.5). */
  readonly createLockTable: string;
  /** Idempotent creation of the lock row id = 1 (§5.5). */
  readonly initLockRow: string;
  /** A query whose first row's first column is truthy when the table exists in the current schema (§5.7). */
  tableExists(table: JetbaseTable): string;
  /** The "now" expression Jetbase uses on writes: `CURRENT_TIMESTAMP`, `STRFTIME(…)`, … */
  readonly now: string;
  /** Boolean literals as Jetbase writes them (SQLite: 1/0). */
  readonly true: string;
  readonly false: string;
  /** Databricks' applied_at has no default: the history insert supplies `now`. */
  readonly insertSuppliesAppliedAt: boolean;
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
   * `readOnly`: the command only reads (status, validate, dry runs, audits — contract A10). Where the
   * database can enforce it, the session refuses writes; SQLite creates no file for it.
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
