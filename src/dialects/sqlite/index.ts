/**
 * SQLite through one of two drivers behind a small adapter:
 *  - `node:sqlite` (built into Node ≥ 22.5, unflagged from 22.13/23.4): the only choice where a
 *    native addon built for another Node ABI cannot load, such as the bundled action on node24.
 *  - `better-sqlite3`: a native addon for Node 20 and other Nodes without `node:sqlite`.
 * The default prefers `node:sqlite` when it loads, so the action and a CLI on a current Node run
 * the same code path, and better-sqlite3 is only loaded (never required) where it is needed.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type BetterSqlite3 from 'better-sqlite3';

import type {
  ConnectOptions,
  Connection,
  Dialect,
  DialectSql,
  ExecuteResult,
  JetbaseTable,
  LockHolderLiveness,
  SqlRow,
  SqlValue,
} from '../../engine/dialect.js';
import { JetbaseError, errorMessage } from '../../engine/errors.js';
import { localProcessState } from '../../engine/process-id.js';
import type { DatabaseUrl, DialectOptions } from '../../config/types.js';
import { asError, inTransaction, lowerCaseKeys } from '../common.js';

export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';

/** How long a connection waits for another process's lock on the file before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

const NOW = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";

/** Jetbase's tables, lock row and probes on SQLite: the text Python Jetbase issues. */
export const sqliteSql: DialectSql = {
  createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
            order_executed INTEGER PRIMARY KEY AUTOINCREMENT,
            version TEXT,
            description TEXT,
            filename TEXT NOT NULL,
            migration_type TEXT NOT NULL,
            applied_at TEXT DEFAULT (${NOW}),
            checksum TEXT
        )`,
  createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            is_locked BOOLEAN NOT NULL DEFAULT 0,
            locked_at TEXT DEFAULT (${NOW}),
            process_id TEXT
        )`,
  initLockRow: 'INSERT OR IGNORE INTO jetbase_lock (id, is_locked) VALUES (1, 0)',
  // Upstream's lock probe returns a name and crashes when the table is absent; both tables use
  // the boolean form here.
  tableExists: (table: JetbaseTable) =>
    `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '${table}'`,
  now: NOW,
  true: '1',
  false: '0',
  insertSuppliesAppliedAt: false,
};

/** What a bound parameter may be once booleans are stored as 1/0. */
type SqliteValue = string | number | null;

/** The few operations the dialect needs, the same over both drivers. */
interface SqliteDatabase {
  /** Rows of a statement that returns data; a statement that returns none runs and gives []. */
  all(sql: string, params: readonly SqliteValue[]): object[];
  /** One statement with parameters; a statement that returns data runs and reports 0 changes. */
  run(sql: string, params: readonly SqliteValue[]): number;
  /** Any text, every statement in it, no parameters. */
  exec(sql: string): void;
  close(): void;
}

type SqliteOpener = (file: string, readOnly: boolean) => SqliteDatabase;

/** The part of `node:sqlite` used here (@types/node 20 does not describe the module). */
interface NodeSqliteModule {
  DatabaseSync: new (
    file: string,
    options?: { readOnly?: boolean },
  ) => {
    prepare(sql: string): {
      all(...params: SqliteValue[]): object[];
      run(...params: SqliteValue[]): { changes: number | bigint };
      /** Result columns; [] for statements without a result (Node ≥ 22.16 / 23.11). */
      columns?(): unknown[];
    };
    exec(sql: string): void;
    close(): void;
  };
}

async function loadNodeSqlite(): Promise<SqliteOpener> {
  // A specifier in a variable keeps TypeScript (types for Node 20) quiet; webpackIgnore keeps ncc
  // from turning the import into an empty module context.
  const specifier = 'node:sqlite';
  const loaded: unknown = await import(/* webpackIgnore: true */ specifier);
  const { DatabaseSync } = loaded as NodeSqliteModule;
  new DatabaseSync(':memory:').close();
  return (file, readOnly) => {
    const db = new DatabaseSync(file, { readOnly });
    return {
      // node:sqlite's all() returns [] for statements without a result, and run() accepts a SELECT
      // but reports the previous statement's changes for it: columns() tells a SELECT apart.
      all: (sql, params) => db.prepare(sql).all(...params),
      run: (sql, params) => {
        const statement = db.prepare(sql);
        if ((statement.columns?.().length ?? 0) > 0) {
          statement.all(...params);
          return 0;
        }
        return Number(statement.run(...params).changes);
      },
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
  };
}

/**
 * better-sqlite3's addon where its install builds or downloads it, else undefined (better-sqlite3
 * then searches with the `bindings` package, which stats a dozen paths and walks a stack trace).
 */
function builtAddon(packageMain: string): string | undefined {
  const file = path.join(path.dirname(packageMain), '..', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

function requireBetterSqlite3(require: NodeJS.Require): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    // Not installed: import()'s one-line wording, not require's with its stack of requiring files.
    if (
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      errorMessage(error).startsWith("Cannot find module 'better-sqlite3'")
    )
      throw new Error(`Cannot find package 'better-sqlite3' imported from ${fileURLToPath(import.meta.url)}`);
    throw error;
  }
}

async function loadBetterSqlite3(): Promise<SqliteOpener> {
  // A CommonJS require rather than import(): through the ES module loader this package takes
  // several ms longer to load (docs/architecture.md, "Start-up"). Both bundles keep better-sqlite3
  // external (ncc's --external; the CLI's scripts/bundle-cli.mjs), so this requires the installed
  // package when called and never at load time; it is only for the CLI on Node 20.
  const require = createRequire(import.meta.url);
  const Database = requireBetterSqlite3(require);
  const nativeBinding = builtAddon(require.resolve('better-sqlite3'));
  // The native addon loads on first open: a build for another Node ABI fails here, not later.
  new Database(':memory:', { nativeBinding }).close();
  return (file, readOnly) => {
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, readonly: readOnly, nativeBinding });
    return {
      // better-sqlite3 refuses all() on a statement without a result and run() on one with a
      // result ("This statement returns data"); `reader` tells which is which.
      all: (sql, params) => {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params) as object[];
        statement.run(...params);
        return [];
      },
      run: (sql, params) => {
        const statement = db.prepare(sql);
        if (statement.reader) {
          statement.all(...params);
          return 0;
        }
        return statement.run(...params).changes;
      },
      exec: (sql) => {
        db.exec(sql);
      },
      close: () => db.close(),
    };
  };
}

const loaders: Record<SqliteDriverName, () => Promise<SqliteOpener>> = {
  'node:sqlite': loadNodeSqlite,
  'better-sqlite3': loadBetterSqlite3,
};

/** The driver forced by options, else the first of node:sqlite, better-sqlite3 that loads and opens. */
async function loadDriver(
  forced: SqliteDriverName | undefined,
): Promise<{ name: SqliteDriverName; open: SqliteOpener }> {
  const candidates: SqliteDriverName[] = forced ? [forced] : ['node:sqlite', 'better-sqlite3'];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      return { name, open: await loaders[name]() };
    } catch (error) {
      failures.push(`${name}: ${errorMessage(error)}`);
    }
  }
  throw new JetbaseError('DRIVER_MISSING', `No SQLite driver could be loaded (${failures.join('; ')}).`, {
    hint: forced
      ? `The ${forced} driver was requested; ${forced === 'node:sqlite' ? 'it needs Node 22.13 or newer' : 'install better-sqlite3 built for this Node version'}.`
      : 'Use Node 22.13 or newer (built-in node:sqlite), or install better-sqlite3 for this Node version.',
  });
}

/**
 * Where the database file is: `:memory:` and absolute paths as given, relative paths against the
 * jetbase directory (Jetbase runs from there). No path at all is in-memory, as in
 * SQLAlchemy.
 */
export function sqliteFilePath(url: DatabaseUrl, baseDir: string): string {
  const database = url.database ?? '';
  if (database === '' || database === ':memory:') return ':memory:';
  return path.resolve(baseDir, database);
}

/** The same database with every driver error turned into an Error of this realm (see asError). */
function withPlainErrors(db: SqliteDatabase): SqliteDatabase {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        throw asError(error);
      }
    };
  return { all: guard(db.all), run: guard(db.run), exec: guard(db.exec), close: guard(db.close) };
}

function bind(params: readonly SqlValue[] | undefined): SqliteValue[] {
  return (params ?? []).map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

class SqliteConnection implements Connection {
  constructor(private readonly db: SqliteDatabase) {}

  async execute(sql: string, params?: readonly SqlValue[]): Promise<ExecuteResult> {
    if (params && params.length > 0) return { rowsAffected: this.db.run(sql, bind(params)) };
    // Text without parameters goes through exec(): node:sqlite's prepare() silently drops all but
    // the first statement and both drivers' prepare() refuse comment-only text, while exec() runs
    // exactly what was written. total_changes() gives the rows it changed.
    const before = this.totalChanges();
    this.db.exec(sql);
    return { rowsAffected: this.totalChanges() - before };
  }

  async query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.db.all(sql, bind(params)).map((row) => lowerCaseKeys(row) as Row);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock up front (waiting up to the busy timeout). A deferred BEGIN
    // would start as a reader and fail with SQLITE_BUSY, without waiting, when two processes both
    // try to upgrade to writers; every Jetbase transaction writes, so nothing is lost.
    return inTransaction(async (sql) => this.db.exec(sql), fn, 'BEGIN IMMEDIATE');
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private totalChanges(): number {
    const [row] = this.db.all('SELECT total_changes() AS n', []);
    return Number((row as { n: number | bigint } | undefined)?.n ?? 0);
  }
}

/**
 * The holder of a SQLite database's lock runs on the machine that has the file: it is gone when
 * its OS process is (the id we write names the process and the machine; see engine/process-id.ts).
 * Its unfinished transaction was rolled back by SQLite's journal when the file was next opened.
 * Nothing is claimed: the process itself is the evidence.
 */
const sqliteLockHolder: LockHolderLiveness = {
  claim: async () => undefined,
  unclaim: async () => undefined,
  state: async (_conn, processId) => localProcessState(processId),
};

export interface SqliteDialect extends Dialect {
  /** Which driver was loaded, for diagnostics and tests. */
  readonly sqliteDriver: SqliteDriverName;
}

export async function createSqliteDialect(url: DatabaseUrl, options: DialectOptions): Promise<SqliteDialect> {
  const driver = await loadDriver(options.sqliteDriver);
  const file = sqliteFilePath(url, options.baseDir);
  return {
    name: 'sqlite',
    transactionalDdl: true,
    sql: sqliteSql,
    target: url.redacted,
    anyTableOrView: `SELECT name FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'
            ORDER BY name
            LIMIT 1`,
    lockHolder: sqliteLockHolder,
    sqliteDriver: driver.name,
    async connect(connectOptions?: ConnectOptions): Promise<Connection> {
      const readOnly = connectOptions?.readOnly === true && file !== ':memory:';
      // A read-only command on a database that does not exist yet sees an empty one and leaves no
      // file behind: opening the path would create it.
      const target = readOnly && !existsSync(file) ? ':memory:' : file;
      let db: SqliteDatabase;
      try {
        db = withPlainErrors(driver.open(target, readOnly && target !== ':memory:'));
      } catch (error) {
        throw new Error(`Cannot open SQLite database ${file}: ${asError(error).message}`);
      }
      try {
        // Another process holding the file waits instead of failing at once. No WAL: it would
        // add -wal/-shm files next to the user's database.
        db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      } catch (error) {
        db.close();
        throw error;
      }
      return new SqliteConnection(db);
    },
  };
}
