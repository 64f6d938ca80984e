export const id = 299;
export const ids = [299];
export const modules = {

/***/ 98299:
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
// EXTERNAL MODULE: ./src/engine/dialect.ts
var dialect = __webpack_require__(9596);
// EXTERNAL MODULE: ./src/dialects/common.ts
var common = __webpack_require__(70190);
;// CONCATENATED MODULE: ./src/dialects/mysql/batch.ts
const FENCE = "HELP 'jetbase'";
const MARK_COLUMN = 'jetbase_statement_done';
function markQuery(index) {
    return `SELECT ${index} AS ${MARK_COLUMN}`;
}
/** One statement's part of the query: on lines of its own, as it may end in a `--` or `#` comment. */
function batchOf(parts) {
    return parts.join('\n;\n');
}
/** The query for a migration: the fence first (it tells whether this server has HELP), then the transaction. */
function migrationBatch(statements, history) {
    const body = statements.flatMap((statement, index) => [statement, FENCE, markQuery(index)]);
    return batchOf([FENCE, 'START TRANSACTION', ...body, history, 'COMMIT']);
}
/** Results a migration's query sends when all goes well: at least one per part. */
function partsOf(statements) {
    return statements.length * 3 + 4;
}
function sendBatch(core, sql) {
    return new Promise((resolve) => {
        let results = 0;
        let marks = 0;
        // The callback form: mysql2 hands a lost connection to the callback, never to a bare emitter.
        core
            .query(sql, (error) => {
            resolve(error ? { results, marks, error } : { results, marks });
        })
            .on('fields', (fields) => {
            // Once per result: undefined for an OK packet, the columns for a result set.
            results += 1;
            if (fields?.length === 1 && fields[0]?.name === MARK_COLUMN)
                marks += 1;
        });
    });
}

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
        supportBigNumbers: true,
        bigNumberStrings: true,
    };
}
/**
 * Errors of a statement the server parsed and never ran: ER_PARSE_ERROR (its syntax), and
 * ER_SP_BADSTATEMENT (a routine body that reached the fence).
 */
const NOT_RUN = new Set([1064, 1314]);
/** Query bytes below max_allowed_packet's default on every MySQL (1 MiB in 5.5, more since) and MariaDB. */
const ALWAYS_FITS = 512 * 1024;
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
    multipleStatements;
    /** The server's max_allowed_packet, once asked. */
    maxQueryBytes;
    /** Set when the server refused the fence (no HELP): migrations go statement by statement. */
    noFence = false;
    constructor(conn, multipleStatements) {
        this.conn = conn;
        this.multipleStatements = multipleStatements;
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
    /**
     * The migration as ONE query (docs/architecture.md, "MySQL and MariaDB in one round trip"):
     * START TRANSACTION, each statement followed by a fence and a mark (batch.ts), the history
     * write (its values escaped by mysql2) and COMMIT. The server stops at the first error, so the
     * marks that came back name the failing statement and the history write never runs after it.
     * MySQL finishes a file once started (its DDL is not transactional), so the one cancellation
     * point is before the query. A statement the server refused inside the query without running
     * it (a syntax error, or a piece of a routine body stopped at the fence) is sent again on its
     * own: the server's answer then is exactly what it says statement by statement (Jetbase's
     * error, or success for a comment-only statement, an empty one inside the query), and the rest
     * of the file goes statement by statement in the same transaction.
     */
    async runInTransaction(statements, final, hooks) {
        const oneByOne = (beforeDone) => this.transaction(() => this.runEach(statements, 0, final, hooks, beforeDone));
        if (!this.multipleStatements || this.noFence)
            return oneByOne(false);
        if (statements.length > 0)
            await hooks.before(0);
        const history = this.conn.format(final.sql, [...final.params]);
        const sql = migrationBatch(statements, history);
        if (!(await this.fitsOneQuery(sql)))
            return oneByOne(true);
        const reply = await sendBatch(this.core, sql);
        const { error } = reply;
        if (error === undefined && reply.marks === statements.length && reply.results >= partsOf(statements))
            return statements.forEach((_, index) => hooks.after(index));
        if (error === undefined) {
            // Marks or results missing: a statement's text ran on into what follows it (an unclosed
            // quote or comment), so what the server ran as the history write is unknown.
            await this.rollback();
            throw new dialect/* StatementFailure */.s(statements.length, new Error(`The server's replies to the migration's one query miss some of its statements (${reply.marks} of ${statements.length} ended): a statement's text may not end where it seems to (an unclosed quote or comment), so the history write cannot be trusted.`));
        }
        if (reply.results === 0 && error.fatal !== true) {
            // The fence itself failed, before anything ran: this server has no HELP.
            this.noFence = true;
            return oneByOne(true);
        }
        const failed = reply.marks;
        for (let index = 0; index < failed; index++)
            hooks.after(index);
        // Not the server's answer but a lost connection: the server may go on with what it was sent.
        if (error.fatal === true)
            throw new dialect/* StatementFailure */.s(failed, error, { outcomeUnknown: true });
        if (NOT_RUN.has(error.errno ?? 0) && failed < statements.length) {
            // The transaction is still open (an error does not end it on MySQL), as after `failed` statements one by one.
            try {
                await this.runEach(statements, failed, final, hooks, failed === 0);
                await this.conn.query('COMMIT');
                return;
            }
            catch (fallbackError) {
                await this.rollback();
                throw fallbackError;
            }
        }
        await this.rollback();
        throw new dialect/* StatementFailure */.s(failed, error);
    }
    async close() {
        await this.conn.end();
    }
    /**
     * A query longer than the server's max_allowed_packet makes it close the session, so a file that
     * would not fit goes statement by statement. Below every server's default no question is asked.
     */
    async fitsOneQuery(sql) {
        const bytes = Buffer.byteLength(sql);
        if (bytes <= ALWAYS_FITS)
            return true;
        if (this.maxQueryBytes === undefined) {
            const [row] = await this.query('SELECT @@max_allowed_packet AS max_bytes');
            this.maxQueryBytes = Number(row?.max_bytes);
        }
        // Room for the packet's own bytes (command, query attributes).
        return bytes + 1024 <= this.maxQueryBytes;
    }
    /** The session mysql2's promise wrapper runs on: its queries can report each result as it comes. */
    get core() {
        return this.conn.connection;
    }
    /** ROLLBACK where it can; a failed one says nothing the first error did not (see inTransaction). */
    async rollback() {
        await this.conn.query('ROLLBACK').catch(() => undefined);
    }
    /**
     * Statements `from` onwards, then the history write, one query each, on the session as it is;
     * `beforeDone`: before(from) was called already (before the one query).
     */
    async runEach(statements, from, final, hooks, beforeDone) {
        for (let index = from; index < statements.length; index++) {
            if (index > from || !beforeDone)
                await hooks.before(index);
            try {
                await this.conn.query(statements[index]);
            }
            catch (error) {
                throw new dialect/* StatementFailure */.s(index, error);
            }
            hooks.after(index);
        }
        try {
            await this.send(final.sql, final.params);
        }
        catch (error) {
            throw new dialect/* StatementFailure */.s(statements.length, error);
        }
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
            // CLIENT_MULTI_STATEMENTS lets a migration go as one query (runInTransaction), and it holds
            // for the whole session. Engine SQL is fixed text or has its values escaped by mysql2, so no
            // second statement can come in through a value. Read-only sessions (status, validate, dry
            // runs) never send a migration and keep it off. PyMySQL (Jetbase's driver) has left it off
            // since 0.8; what that changes for a file is in docs/architecture.md ("MySQL and MariaDB in
            // one round trip").
            const multipleStatements = connectOptions?.readOnly !== true;
            try {
                conn = await promise.createConnection({ ...options, multipleStatements });
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
            return new MysqlConnection(conn, multipleStatements);
        },
    };
}


/***/ })

};

