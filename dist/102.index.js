export const id = 102;
export const ids = [102];
export const modules = {

/***/ 39102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createMysqlDialect: () => (/* binding */ createMysqlDialect)
});

// UNUSED EXPORTS: mysqlDriverErrorIs, mysqlSql

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




/** Jetbase's tables, lock row and probes on MySQL and MariaDB, as Jetbase writes them. */
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
/** mysql2's code and text when the server closed the connection (while connecting, or later). */
const CONNECTION_LOST_CODE = 'PROTOCOL_CONNECTION_LOST';
const CONNECTION_LOST_AT_CONNECT = /Connection lost: The server closed the connection/i;
const CONNECTION_LOST = /server closed the connection|Connection lost/i;
function mysqlDriverErrorIs(error, kind) {
    if (error.code === CONNECTION_LOST_CODE)
        return true;
    return (kind === 'lost' ? CONNECTION_LOST : CONNECTION_LOST_AT_CONNECT).test(error.message);
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
        // mysql2 connects with CLIENT_FOUND_ROWS, so this is rows matched, as PyMySQL reports to Jetbase.
        return { rowsAffected: isResultSetHeader(result) ? result.affectedRows : 0 };
    }
    async query(sql, params) {
        const result = await this.send(sql, params);
        if (!Array.isArray(result))
            return [];
        return result.map((row) => (0,common/* lowerCaseKeys */.QM)(row));
    }
    /** DDL commits implicitly on MySQL: only the DML inside is rolled back (transactionalDdl false). */
    transaction(fn) {
        return (0,common/* inTransaction */.sA)((sql) => this.conn.query(sql), fn, 'START TRANSACTION');
    }
    async close() {
        await this.conn.end();
    }
    /**
     * No params: the text goes as written (mysql2 formats nothing without values, so a
     * user's `?` is not a placeholder).
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
        anyTableOrView: `SELECT table_name FROM information_schema.tables
            WHERE table_schema = DATABASE()
            ORDER BY table_name
            LIMIT 1`,
        lockHolder: mysqlLockHolder,
        driverErrorIs: mysqlDriverErrorIs,
        async connect(connectOptions) {
            let conn;
            try {
                conn = await promise.createConnection(options);
                // A read-only command's session refuses writes.
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

