export const id = 102;
export const ids = [102];
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

/***/ 39102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createMysqlDialect: () => (/* binding */ createMysqlDialect)
});

// UNUSED EXPORTS: mysqlSql

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/mysql2/promise.js
var promise = __webpack_require__(27588);
// EXTERNAL MODULE: ./src/dialects/common.ts
var common = __webpack_require__(70190);
// EXTERNAL MODULE: ./src/engine/history.ts
var engine_history = __webpack_require__(50390);
;// CONCATENATED MODULE: ./src/dialects/mysql/lock-holder.ts

/** At most 64 characters: 8 + a 36-character id. */
function lockName(processId) {
    return `jetbase:${processId}`;
}
async function firstValue(conn, sql, processId) {
    const [row] = await conn.query(sql, [lockName(processId)]);
    return row === undefined ? undefined : Object.values(row)[0];
}
const mysqlLockHolder = {
    async claim(conn, processId) {
        if (!(0,engine_history/* truthy */.vN)(await firstValue(conn, 'SELECT GET_LOCK(?, 0)', processId)))
            throw new Error(`Another session already holds the named lock of process ${processId}.`);
    },
    async unclaim(conn, processId) {
        await firstValue(conn, 'SELECT RELEASE_LOCK(?)', processId);
    },
    async state(conn, processId) {
        const holder = await firstValue(conn, 'SELECT IS_USED_LOCK(?)', processId);
        return holder === null || holder === undefined ? 'gone' : 'alive';
    },
};

;// CONCATENATED MODULE: ./src/dialects/mysql/index.ts
/** MySQL and MariaDB through mysql2: one connection, text protocol throughout. */




/** Contract §5.1/§5.5/§5.7, MySQL column. */
const mysqlSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
                order_executed INT AUTO_INCREMENT PRIMARY KEY,
                version VARCHAR(255),
                description VARCHAR(500) NOT NULL,
                filename VARCHAR(512) NOT NULL,
                migration_type VARCHAR(32) NOT NULL,
                applied_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,
                checksum VARCHAR(64) NOT NULL
            )`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
                id INT PRIMARY KEY CHECK (id = 1),
                is_locked BOOLEAN NOT NULL DEFAULT FALSE,
                locked_at TIMESTAMP(6) NULL,
                process_id VARCHAR(36)
            )`,
    initLockRow: `INSERT IGNORE INTO jetbase_lock (id, is_locked)
            VALUES (1, FALSE)`,
    tableExists: (table) => `SELECT COUNT(*) > 0 AS table_exists
            FROM information_schema.tables
            WHERE table_schema = DATABASE()
              AND table_name = '${table}'`,
    now: 'CURRENT_TIMESTAMP(6)',
    true: 'TRUE',
    false: 'FALSE',
    insertSuppliesAppliedAt: false,
};
function milliseconds(seconds) {
    if (seconds === undefined)
        return undefined;
    const value = Number(seconds);
    return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
function isTrue(value) {
    return value !== undefined && ['1', 'true', 'yes', 'on', 'required'].includes(value.toLowerCase());
}
/** TLS from PyMySQL-style query parameters (`ssl_ca`, `ssl_cert`, `ssl_key`, `ssl=true`). */
function sslOptions(query) {
    if (isTrue(query.ssl_disabled))
        return undefined;
    const ca = query.ssl_ca ? (0,external_node_fs_.readFileSync)(query.ssl_ca) : undefined;
    const cert = query.ssl_cert ? (0,external_node_fs_.readFileSync)(query.ssl_cert) : undefined;
    const key = query.ssl_key ? (0,external_node_fs_.readFileSync)(query.ssl_key) : undefined;
    if (!ca && !cert && !key && !isTrue(query.ssl) && !isTrue(query.ssl_mode))
        return undefined;
    // With a CA the server is verified (PyMySQL's default when ssl_ca is given), unless told not to.
    const verify = ca !== undefined && !(query.ssl_verify_cert !== undefined && !isTrue(query.ssl_verify_cert));
    return { ca, cert, key, rejectUnauthorized: verify };
}
/** Connection settings from the URL; query parameters not listed here are ignored. */
function connectionOptions(url) {
    return {
        host: url.host ?? 'localhost',
        port: url.port ?? 3306,
        socketPath: url.query.unix_socket,
        user: url.username ?? undefined,
        password: url.password ?? undefined,
        database: url.database || undefined,
        charset: url.query.charset ?? 'utf8mb4',
        connectTimeout: milliseconds(url.query.connect_timeout),
        ssl: sslOptions(url.query),
        // TIMESTAMP(6) as text keeps the microseconds and the session's time zone, as PyMySQL shows them.
        dateStrings: true,
        // One statement per call, as PyMySQL; migration text is split by the engine.
        multipleStatements: false,
        supportBigNumbers: true,
        bigNumberStrings: true,
    };
}
/** An OK packet (INSERT/UPDATE/DDL) as opposed to rows. */
function isResultSetHeader(result) {
    return typeof result === 'object' && result !== null && !Array.isArray(result) && 'affectedRows' in result;
}
class MysqlConnection {
    conn;
    constructor(conn) {
        this.conn = conn;
    }
    async execute(sql, params) {
        const result = await this.send(sql, params);
        // mysql2 connects with CLIENT_FOUND_ROWS, so this is rows matched, as PyMySQL reports (§8.5).
        return { rowsAffected: isResultSetHeader(result) ? result.affectedRows : 0 };
    }
    async query(sql, params) {
        const result = await this.send(sql, params);
        if (!Array.isArray(result))
            return [];
        return result.map((row) => (0,common/* lowerCaseKeys */.QM)(row));
    }
    /** DDL commits implicitly on MySQL: only the DML inside is rolled back (transactionalDdl false). */
    async transaction(fn) {
        await this.conn.query('START TRANSACTION');
        try {
            const result = await fn();
            await this.conn.query('COMMIT');
            return result;
        }
        catch (error) {
            try {
                await this.conn.query('ROLLBACK');
            }
            catch {
                // The connection is gone; the original error says why.
            }
            throw error;
        }
    }
    async close() {
        await this.conn.end();
    }
    /**
     * No params: the text goes as written (mysql2 formats nothing without values, contract A15).
     * With params mysql2 escapes `?` values client side, which is fine for engine SQL.
     */
    async send(sql, params) {
        const [result] = params && params.length > 0 ? await this.conn.query(sql, [...params]) : await this.conn.query(sql);
        return result;
    }
}
async function createMysqlDialect(url, _options) {
    const options = connectionOptions(url);
    return {
        name: 'mysql',
        transactionalDdl: false,
        sql: mysqlSql,
        target: url.redacted,
        lockHolder: mysqlLockHolder,
        async connect(connectOptions) {
            let conn;
            try {
                conn = await promise.createConnection(options);
                // A10: a read-only command's session refuses writes.
                if (connectOptions?.readOnly)
                    await conn.query('SET SESSION TRANSACTION READ ONLY');
            }
            catch (error) {
                throw (0,common/* scrubbedError */.RF)(error, url.password);
            }
            // A connection dropped while idle is an 'error' event that would crash the process
            // unhandled; the next query fails with its own error instead.
            conn.on('error', () => undefined);
            return new MysqlConnection(conn);
        },
    };
}


/***/ })

};
