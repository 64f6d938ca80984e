export const id = 96;
export const ids = [96];
export const modules = {

/***/ 70190:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Nt: () => (/* binding */ withoutSecret),
/* harmony export */   QM: () => (/* binding */ lowerCaseKeys),
/* harmony export */   RF: () => (/* binding */ scrubbedError),
/* harmony export */   zR: () => (/* binding */ asError)
/* harmony export */ });
/** Small helpers shared by the dialect adapters. */
/** The contract wants lower-case column names whatever the database or the SQL spelled. */
function lowerCaseKeys(row) {
    const result = {};
    for (const [key, value] of Object.entries(row))
        result[key.toLowerCase()] = value;
    return result;
}
/**
 * Removes a password (as written and percent-encoded) from a driver message. The engine redacts
 * again before printing; this keeps a connection error clean even when it is logged raw.
 */
function withoutSecret(message, secret) {
    if (!secret)
        return message;
    let clean = message;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
        clean = clean.split(form).join('***');
    return clean;
}
/**
 * The driver's error when it holds no password, else a new Error with the scrubbed message (no
 * `cause`: the original would carry the password along).
 */
function scrubbedError(error, secret) {
    const message = error instanceof Error ? error.message : String(error);
    const clean = withoutSecret(message, secret);
    if (error instanceof Error && clean === message)
        return error;
    return new Error(clean);
}
/**
 * The error as an Error of this realm. Native drivers build theirs outside it (Jest's module
 * sandbox, for one), where `instanceof Error` is false; the message and a string `code` are kept.
 */
function asError(error) {
    if (error instanceof Error)
        return error;
    const { message, code } = (typeof error === 'object' && error !== null ? error : {});
    const result = new Error(typeof message === 'string' ? message : String(error));
    if (typeof code === 'string')
        result.code = code;
    return result;
}


/***/ }),

/***/ 56096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSqliteDialect: () => (/* binding */ createSqliteDialect)
/* harmony export */ });
/* unused harmony exports sqliteSql, sqliteFilePath */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(17679);
/* harmony import */ var _engine_process_id_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(35105);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(70190);
/**
 * SQLite through one of two drivers behind a small adapter:
 *  - `node:sqlite` (built into Node ≥ 22.5, unflagged from 22.13/23.4): the only choice where a
 *    native addon built for another Node ABI cannot load, such as the bundled action on node24.
 *  - `better-sqlite3`: a native addon for Node 20 and other Nodes without `node:sqlite`.
 * The default prefers `node:sqlite` when it loads, so the action and a CLI on a current Node run
 * the same code path, and better-sqlite3 is only loaded (never required) where it is needed.
 */





/** How long a connection waits for another process's lock on the file before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
const NOW = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";
/** Contract §5.1/§5.5/§5.7, SQLite column: the text Python Jetbase issues. */
const sqliteSql = {
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
    // Upstream's lock probe returns a name and crashes when absent (§10 item 11); both tables use
    // the boolean form here.
    tableExists: (table) => `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '${table}'`,
    now: NOW,
    true: '1',
    false: '0',
    insertSuppliesAppliedAt: false,
};
async function loadNodeSqlite() {
    // A specifier in a variable keeps TypeScript (types for Node 20) quiet; webpackIgnore keeps ncc
    // from turning the import into an empty module context.
    const specifier = 'node:sqlite';
    const loaded = await import(/* webpackIgnore: true */ specifier);
    const { DatabaseSync } = loaded;
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
async function loadBetterSqlite3() {
    // webpackIgnore: the bundled action must not import this native addon at load time (ncc would
    // hoist an external dynamic import to a static one); it is only for the CLI on Node 20.
    const { default: Database } = await import(/* webpackIgnore: true */ 'better-sqlite3');
    // The native addon loads on first open: a build for another Node ABI fails here, not later.
    new Database(':memory:').close();
    return (file, readOnly) => {
        const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, readonly: readOnly });
        return {
            // better-sqlite3 refuses all() on a statement without a result and run() on one with a
            // result ("This statement returns data"); `reader` tells which is which.
            all: (sql, params) => {
                const statement = db.prepare(sql);
                if (statement.reader)
                    return statement.all(...params);
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
const loaders = {
    'node:sqlite': loadNodeSqlite,
    'better-sqlite3': loadBetterSqlite3,
};
/** The driver forced by options, else the first of node:sqlite, better-sqlite3 that loads and opens. */
async function loadDriver(forced) {
    const candidates = forced ? [forced] : ['node:sqlite', 'better-sqlite3'];
    const failures = [];
    for (const name of candidates) {
        try {
            return { name, open: await loaders[name]() };
        }
        catch (error) {
            failures.push(`${name}: ${(0,_engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
        }
    }
    throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .JetbaseError */ .N8('DRIVER_MISSING', `No SQLite driver could be loaded (${failures.join('; ')}).`, {
        hint: forced
            ? `The ${forced} driver was requested; ${forced === 'node:sqlite' ? 'it needs Node 22.13 or newer' : 'install better-sqlite3 built for this Node version'}.`
            : 'Use Node 22.13 or newer (built-in node:sqlite), or install better-sqlite3 for this Node version.',
    });
}
/**
 * Where the database file is: `:memory:` and absolute paths as given, relative paths against the
 * jetbase directory (Jetbase runs from there, contract §1.1). No path at all is in-memory, as in
 * SQLAlchemy.
 */
function sqliteFilePath(url, baseDir) {
    const database = url.database ?? '';
    if (database === '' || database === ':memory:')
        return ':memory:';
    return node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(baseDir, database);
}
/** The same database with every driver error turned into an Error of this realm (see asError). */
function withPlainErrors(db) {
    const guard = (fn) => (...args) => {
        try {
            return fn(...args);
        }
        catch (error) {
            throw (0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .asError */ .zR)(error);
        }
    };
    return { all: guard(db.all), run: guard(db.run), exec: guard(db.exec), close: guard(db.close) };
}
function bind(params) {
    return (params ?? []).map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}
class SqliteConnection {
    db;
    constructor(db) {
        this.db = db;
    }
    async execute(sql, params) {
        if (params && params.length > 0)
            return { rowsAffected: this.db.run(sql, bind(params)) };
        // Text without parameters goes through exec(): node:sqlite's prepare() silently drops all but
        // the first statement and both drivers' prepare() refuse comment-only text, while exec() runs
        // exactly what was written. total_changes() gives the rows it changed.
        const before = this.totalChanges();
        this.db.exec(sql);
        return { rowsAffected: this.totalChanges() - before };
    }
    async query(sql, params) {
        return this.db.all(sql, bind(params)).map((row) => (0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .lowerCaseKeys */ .QM)(row));
    }
    async transaction(fn) {
        // IMMEDIATE takes the write lock up front (waiting up to the busy timeout). A deferred BEGIN
        // would start as a reader and fail with SQLITE_BUSY, without waiting, when two processes both
        // try to upgrade to writers; every Jetbase transaction writes, so nothing is lost.
        this.db.exec('BEGIN IMMEDIATE');
        try {
            const result = await fn();
            this.db.exec('COMMIT');
            return result;
        }
        catch (error) {
            try {
                this.db.exec('ROLLBACK');
            }
            catch {
                // SQLite already rolled back by itself (some errors do); the original error matters.
            }
            throw error;
        }
    }
    async close() {
        this.db.close();
    }
    totalChanges() {
        const [row] = this.db.all('SELECT total_changes() AS n', []);
        return Number(row?.n ?? 0);
    }
}
/**
 * The holder of a SQLite database's lock runs on the machine that has the file: it is gone when
 * its OS process is (the id we write names the process and the machine; see engine/process-id.ts).
 * Its unfinished transaction was rolled back by SQLite's journal when the file was next opened.
 * Nothing is claimed: the process itself is the evidence.
 */
const sqliteLockHolder = {
    claim: async () => undefined,
    unclaim: async () => undefined,
    state: async (_conn, processId) => (0,_engine_process_id_js__WEBPACK_IMPORTED_MODULE_3__/* .localProcessState */ .YW)(processId),
};
async function createSqliteDialect(url, options) {
    const driver = await loadDriver(options.sqliteDriver);
    const file = sqliteFilePath(url, options.baseDir);
    return {
        name: 'sqlite',
        transactionalDdl: true,
        sql: sqliteSql,
        target: url.redacted,
        lockHolder: sqliteLockHolder,
        sqliteDriver: driver.name,
        async connect(connectOptions) {
            const readOnly = connectOptions?.readOnly === true && file !== ':memory:';
            // A read-only command on a database that does not exist yet sees an empty one and leaves no
            // file behind (contract A10): opening the path would create it.
            const target = readOnly && !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file) ? ':memory:' : file;
            let db;
            try {
                db = withPlainErrors(driver.open(target, readOnly && target !== ':memory:'));
            }
            catch (error) {
                throw new Error(`Cannot open SQLite database ${file}: ${(0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .asError */ .zR)(error).message}`);
            }
            try {
                // Another process holding the file waits instead of failing at once. No WAL: it would
                // add -wal/-shm files next to the user's database.
                db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
            }
            catch (error) {
                db.close();
                throw error;
            }
            return new SqliteConnection(db);
        },
    };
}


/***/ })

};
