export const id = 638;
export const ids = [638];
export const modules = {

/***/ 22638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createPostgresqlDialect: () => (/* binding */ createPostgresqlDialect)
/* harmony export */ });
/* unused harmony exports postgresqlSql, inlineParameters, quoteLiteral, toNumberedPlaceholders, postgresqlDriverErrorIs */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var pg__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83849);
/* harmony import */ var _engine_dialect_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9596);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(17679);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(70190);
/** PostgreSQL through node-postgres: one Client per connection, no pool. */





/** Jetbase's tables, lock row and probes on PostgreSQL (Jetbase's default DDL). */
const postgresqlSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
    order_executed INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version VARCHAR(255),
    description VARCHAR(500) NOT NULL,
    filename VARCHAR(512) NOT NULL,
    migration_type VARCHAR(32) NOT NULL,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    checksum VARCHAR(64) NOT NULL
)`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    is_locked BOOLEAN NOT NULL DEFAULT FALSE,
    locked_at TIMESTAMP,
    process_id VARCHAR(36)
)`,
    initLockRow: `INSERT INTO jetbase_lock (id, is_locked)
SELECT 1, FALSE
WHERE NOT EXISTS (SELECT 1 FROM jetbase_lock WHERE id = 1)`,
    tableExists: (table) => `SELECT EXISTS (
    SELECT 1
    FROM information_schema.tables
    WHERE table_schema = current_schema()
      AND table_name = '${table}'
)`,
    now: 'CURRENT_TIMESTAMP',
    true: 'TRUE',
    false: 'FALSE',
    insertSuppliesAppliedAt: false,
};
/** Engine SQL with `?` → literals, for the simple protocol; the same scan as toNumberedPlaceholders. */
function inlineParameters(sql, params, escape) {
    let index = 0;
    return toNumberedPlaceholders(sql).replace(/\$(\d+)/g, (_match, n) => {
        index = Number(n) - 1;
        const value = params[index];
        if (value === null || value === undefined)
            return 'NULL';
        if (typeof value === 'boolean')
            return value ? 'TRUE' : 'FALSE';
        if (typeof value === 'number')
            return Number.isFinite(value) ? String(value) : escape(String(value));
        return escape(value);
    });
}
/** A string as a PostgreSQL literal (standard_conforming_strings: only `'` needs doubling). */
function quoteLiteral(value) {
    return `'${value.replaceAll("'", "''")}'`;
}
/**
 * `?` → `$1…$n`, leaving `?` inside '…' literals, "…" identifiers and -- comments alone (engine
 * SQL is simple; this is not a full SQL lexer).
 */
function toNumberedPlaceholders(sql) {
    let result = '';
    let count = 0;
    let i = 0;
    while (i < sql.length) {
        const ch = sql[i];
        if (ch === "'" || ch === '"') {
            const close = sql.indexOf(ch, i + 1);
            const end = close === -1 ? sql.length : close + 1;
            result += sql.slice(i, end);
            i = end;
        }
        else if (ch === '-' && sql[i + 1] === '-') {
            const newline = sql.indexOf('\n', i);
            const end = newline === -1 ? sql.length : newline;
            result += sql.slice(i, end);
            i = end;
        }
        else if (ch === '?') {
            count += 1;
            result += `$${count}`;
            i += 1;
        }
        else {
            result += ch;
            i += 1;
        }
    }
    return result;
}
/** TIMESTAMP, TIMESTAMPTZ and DATE stay text: a JS Date would lose microseconds and shift zones. */
const TEXT_TYPE_OIDS = new Set([1082, 1114, 1184]);
const keepTimestampsAsText = {
    getTypeParser: ((oid, format) => TEXT_TYPE_OIDS.has(oid) && format !== 'binary'
        ? (value) => value
        : pg__WEBPACK_IMPORTED_MODULE_1__/* ["default"].types */ .Ay.types.getTypeParser(oid, format ?? 'text')),
};
function sslPlan(url, host) {
    const mode = url.query.sslmode ?? process.env.PGSSLMODE ?? 'prefer';
    // libpq never uses TLS over a Unix socket.
    if (host?.startsWith('/'))
        return { ssl: false, plainIfRefused: false };
    const files = {};
    if (url.query.sslrootcert)
        files.ca = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(url.query.sslrootcert);
    if (url.query.sslcert)
        files.cert = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(url.query.sslcert);
    if (url.query.sslkey)
        files.key = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(url.query.sslkey);
    switch (mode) {
        case 'disable':
        case 'allow': // libpq tries plain first; plain is what node-postgres can do for it
            return { ssl: false, plainIfRefused: false };
        case 'prefer': // libpq's default: TLS without verification when the server offers it
            return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: true };
        case 'require':
            return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: false };
        case 'verify-ca':
            return {
                ssl: { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined },
                plainIfRefused: false,
            };
        case 'verify-full':
            return { ssl: { ...files, rejectUnauthorized: true }, plainIfRefused: false };
        default:
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .JetbaseError */ .N8('URL', `Unsupported sslmode "${mode}" in ${url.redacted}: use disable, allow, prefer, require, verify-ca or verify-full.`);
    }
}
function positiveSeconds(value) {
    if (value === undefined)
        return undefined;
    const seconds = Number(value);
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
/** The Client settings from the URL; libpq-style query parameters not listed here are ignored. */
function clientConfig(url) {
    // SQLAlchemy allows the host (e.g. a socket directory) as ?host=… when the URL has none.
    const host = url.host ?? url.query.host ?? undefined;
    const port = url.port ?? (url.query.port ? Number(url.query.port) : undefined);
    const config = {
        host,
        port,
        user: url.username ?? undefined,
        password: url.password ?? undefined,
        database: url.database || undefined,
        application_name: url.query.application_name,
        connectionTimeoutMillis: positiveSeconds(url.query.connect_timeout),
        options: url.query.options,
        types: keepTimestampsAsText,
    };
    return { config, ssl: sslPlan(url, host) };
}
async function connectClient(config) {
    const client = new pg__WEBPACK_IMPORTED_MODULE_1__/* ["default"].Client */ .Ay.Client(config);
    // A connection dropped while idle is reported as an 'error' event, which would crash the
    // process unhandled; the next query fails with its own error instead.
    client.on('error', () => undefined);
    await client.connect();
    return client;
}
/** Servers (host:port) that refused TLS under sslmode=prefer: later connections go plain at once. */
const refusedTls = new Set();
async function openClient(url) {
    const { config, ssl } = clientConfig(url);
    const server = `${config.host ?? ''}:${config.port ?? ''}`;
    try {
        if (ssl.plainIfRefused && refusedTls.has(server))
            return await connectClient({ ...config, ssl: false });
        try {
            return await connectClient({ ...config, ssl: ssl.ssl });
        }
        catch (error) {
            const refused = error instanceof Error && error.message.includes('does not support SSL');
            if (!(ssl.plainIfRefused && refused))
                throw error;
            refusedTls.add(server);
            return await connectClient({ ...config, ssl: false });
        }
    }
    catch (error) {
        throw (0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .scrubbedError */ .RF)(error, url.password);
    }
}
/**
 * The server's "not now" at connect time: SQLSTATE 57P03 (cannot_connect_now) and its texts, as
 * node-postgres passes them on (or as they are left once a password was scrubbed from the error).
 */
const STARTING_UP = /the database system is (starting up|not yet accepting connections|in recovery mode)/i;
/** node-postgres' words for a socket that closed under it, while connecting or later. */
const TERMINATED = /Connection terminated unexpectedly|Connection terminated due to connection timeout/i;
/** …and for a client that can no longer be used: it was terminated, or hit a connection error. */
const LOST = /Connection terminated|Client has encountered a connection error/i;
function postgresqlDriverErrorIs(error, kind) {
    if (kind === 'lost')
        return LOST.test(error.message);
    return error.code === '57P03' || STARTING_UP.test(error.message) || TERMINATED.test(error.message);
}
/** One result, or the list a simple-protocol query with several statements gives. */
function resultsOf(result) {
    return Array.isArray(result) ? result : [result];
}
class PostgresConnection {
    client;
    setSearchPath;
    constructor(client, setSearchPath) {
        this.client = client;
        this.setSearchPath = setSearchPath;
    }
    async execute(sql, params) {
        const results = resultsOf(await this.send(sql, params));
        return { rowsAffected: results.reduce((sum, result) => sum + (result.rowCount ?? 0), 0) };
    }
    async query(sql, params) {
        const results = resultsOf(await this.send(sql, params));
        const last = results[results.length - 1];
        return (last?.rows ?? []).map((row) => (0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .lowerCaseKeys */ .QM)(row));
    }
    transaction(fn) {
        const { setSearchPath } = this;
        // Jetbase sets the search_path at the start of every transaction; so does this.
        const body = setSearchPath
            ? async () => {
                await this.client.query(setSearchPath);
                return fn();
            }
            : fn;
        return (0,_common_js__WEBPACK_IMPORTED_MODULE_4__/* .inTransaction */ .sA)((sql) => this.client.query(sql), body);
    }
    /**
     * BEGIN (and the search_path) ride with the first statement, and the history write with COMMIT,
     * as simple-protocol queries of several statements: 2 round trips for a one-statement migration
     * instead of 4. Statements are still sent one query each, so a failure names its statement and
     * cancellation can stop between them. Values of the history write are inlined as literals
     * (escapeLiteral), because the simple protocol has no parameters.
     */
    async runInTransaction(statements, final, hooks) {
        const begin = this.setSearchPath ? `BEGIN;\n${this.setSearchPath};\n` : 'BEGIN;\n';
        let open = false;
        try {
            if (statements.length === 0) {
                await this.client.query(begin);
                open = true;
            }
            for (const [index, statement] of statements.entries()) {
                await hooks.before(index);
                try {
                    // A statement may end in a `--` comment: it goes last on its own line.
                    await this.client.query(open ? statement : `${begin}${statement}`);
                }
                catch (error) {
                    open = true; // the BEGIN may have run: roll back in any case
                    throw new _engine_dialect_js__WEBPACK_IMPORTED_MODULE_2__/* .StatementFailure */ .s(index, error);
                }
                open = true;
                hooks.after(index);
            }
            try {
                await this.client.query(`${inlineParameters(final.sql, final.params, (v) => this.client.escapeLiteral(v))};\nCOMMIT`);
            }
            catch (error) {
                throw new _engine_dialect_js__WEBPACK_IMPORTED_MODULE_2__/* .StatementFailure */ .s(statements.length, error);
            }
            open = false;
        }
        catch (error) {
            if (open)
                await this.client.query('ROLLBACK').catch(() => undefined);
            throw error;
        }
    }
    async close() {
        await this.client.end();
    }
    /** No params: the simple protocol with the text untouched (no placeholders); else `$n` binds. */
    send(sql, params) {
        if (!params || params.length === 0)
            return this.client.query(sql);
        return this.client.query(toNumberedPlaceholders(sql), [...params]);
    }
}
async function createPostgresqlDialect(url, options) {
    // Validate the URL's TLS settings now rather than at the first connect.
    clientConfig(url);
    const schema = options.postgresSchema ?? null;
    // A string literal, not an identifier or a bind parameter: the schema's case is kept, as in Jetbase.
    const setSearchPath = schema ? `SET search_path TO ${quoteLiteral(schema)}` : null;
    return {
        name: 'postgresql',
        transactionalDdl: true,
        sql: postgresqlSql,
        target: url.redacted,
        anyTableOrView: `SELECT c.relname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY c.relname
    LIMIT 1`,
        driverErrorIs: postgresqlDriverErrorIs,
        async connect(connectOptions) {
            const client = await openClient(url);
            try {
                // Also once per session, so reads outside a transaction see the same schema.
                if (setSearchPath)
                    await client.query(setSearchPath);
                // A read-only command's session refuses writes; a PR check can't change the database.
                if (connectOptions?.readOnly)
                    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
            }
            catch (error) {
                await client.end().catch(() => undefined);
                throw error;
            }
            return new PostgresConnection(client, setSearchPath);
        },
    };
}


/***/ })

};

